import { readIntent } from './tradingview.intent';

describe('readIntent', () => {
  // {{strategy.position_size}} is negative when short: the message must not say "0 or more" to a short size
  it('should explain a fractional position_size with the sign TradingView sends', () => {
    for (const [position, size] of [
      ['short', '-1.5'],
      ['long', '0.5'],
    ]) {
      const result = readIntent({ market_position: position, position_size: size }, 'NSE_EQ');
      expect(result).toEqual({
        ok: false,
        details: [
          {
            path: 'position_size',
            message:
              'position_size must be a whole number of shares (NSE_EQ trades in shares), negative when short, e.g. 2 or -2',
          },
        ],
      });
    }
  });

  it('should read a whole signed size', () => {
    expect(readIntent({ market_position: 'short', position_size: '-2' }, 'NSE_FNO')).toEqual({
      ok: true,
      intent: { marketPosition: 'short', positionSize: '2' },
    });
  });
});
