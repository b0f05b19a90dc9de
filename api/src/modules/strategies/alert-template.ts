import { D } from '../../shared/decimal';
import type { Strategy } from './strategy.entity';

// The JSON a trader pastes into the TradingView alert "Message" box. The idempotency key is built from values
// that are identical across TradingView's resends, so a resent alert is recognised as the same one.
// market_position and position_size say where TradingView's strategy stands after the order: the order brings our
// position there (flat closes, a reversal reverses to that size) instead of following the opposite-signal policy.
// Messages generated before carried both inside extras; the webhook still reads them there.
// prev_market_position and its size (TradingView's position before the order) let the order time check find a
// missed or out-of-order alert (risk/position-check.ts).
export function alertMessageFor(strategy: Pick<Strategy, 'name'>, secret: string): string {
  return JSON.stringify(
    {
      secret,
      idempotency_key: '{{strategy.order.id}}-{{ticker}}-{{timenow}}',
      symbol: '{{ticker}}',
      side: '{{strategy.order.action}}',
      qty: '{{strategy.order.contracts}}',
      market_position: '{{strategy.market_position}}',
      position_size: '{{strategy.position_size}}',
      order_type: 'MARKET',
      price: '{{close}}',
      timeframe: '{{interval}}',
      time: '{{timenow}}',
      extras: {
        source: 'TradingView',
        strategy: strategy.name,
        prev_market_position: '{{strategy.prev_market_position}}',
        prev_market_position_size: '{{strategy.prev_market_position_size}}',
      },
    },
    null,
    2,
  );
}

// For indicator scripts (no strategy.* placeholders): Pine builds the same JSON at the bar close.
export function pineSnippetFor(strategy: Pick<Strategy, 'name' | 'qty'>, secret: string): string {
  return [
    '//@version=5',
    `// AlgoDatta: ${strategy.name.replace(/\n/g, ' ')}. Fire with alert(); set the alert to "Any alert() function call".`,
    'algodattaAlert(string side, float qty) =>',
    `    msg = '{"secret":"${secret}","idempotency_key":"' + syminfo.ticker + '-' + str.tostring(time) + '-' + side + '",' +`,
    '      \'"symbol":"\' + syminfo.ticker + \'","side":"\' + side + \'","qty":"\' + str.tostring(qty) + \'",\' +',
    '      \'"order_type":"MARKET","price":"\' + str.tostring(close) + \'","timeframe":"\' + timeframe.period + \'"}\'',
    '    alert(msg, alert.freq_once_per_bar_close)',
    '',
    `if ta.crossover(ta.ema(close, 9), ta.ema(close, 21))`,
    `    algodattaAlert("BUY", ${new D(strategy.qty).toFixed()})`,
    '// EXIT with qty 0 closes the whole position; a quantity above 0 reduces it by that much',
    `if ta.crossunder(ta.ema(close, 9), ta.ema(close, 21))`,
    '    algodattaAlert("EXIT", 0)',
  ].join('\n');
}
