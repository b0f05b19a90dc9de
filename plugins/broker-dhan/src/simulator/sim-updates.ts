import type { DhanOrder } from '../dhan/dhan.types';

// Postback payload per DOCS /postback: the order fields, null where not applicable
export function toPostback(o: DhanOrder): Record<string, unknown> {
  return {
    dhanClientId: o.dhanClientId,
    orderId: o.orderId,
    correlationId: o.correlationId,
    orderStatus: o.orderStatus,
    transactionType: o.transactionType,
    exchangeSegment: o.exchangeSegment,
    productType: o.productType,
    orderType: o.orderType,
    validity: o.validity,
    tradingSymbol: o.tradingSymbol,
    securityId: o.securityId,
    quantity: o.quantity,
    disclosedQuantity: o.disclosedQuantity,
    price: o.price,
    triggerPrice: o.triggerPrice,
    afterMarketOrder: o.afterMarketOrder,
    boProfitValue: o.boProfitValue,
    boStopLossValue: o.boStopLossValue,
    legName: o.legName,
    createTime: o.createTime,
    updateTime: o.updateTime,
    exchangeTime: o.exchangeTime,
    drvExpiryDate: o.drvExpiryDate,
    drvOptionType: o.drvOptionType,
    drvStrikePrice: o.drvStrikePrice,
    omsErrorCode: o.omsErrorCode,
    omsErrorDescription: o.omsErrorDescription,
    // Not in the documented list but useful and harmless: parsers must ignore unknown keys
    filledQty: o.filledQty,
    averageTradedPrice: o.averageTradedPrice,
  };
}

const PRODUCT_CODE: Record<string, string> = { CNC: 'C', INTRADAY: 'I', MARGIN: 'M', MTF: 'F', CO: 'V', BO: 'B' };
const ORDER_TYPE_CODE: Record<string, string> = {
  LIMIT: 'LMT',
  MARKET: 'MKT',
  STOP_LOSS: 'SL',
  STOP_LOSS_MARKET: 'SLM',
};
const SEGMENT_PARTS: Record<string, [string, string]> = {
  NSE_EQ: ['NSE', 'E'],
  NSE_FNO: ['NSE', 'D'],
  NSE_CURRENCY: ['NSE', 'C'],
  BSE_EQ: ['BSE', 'E'],
  BSE_FNO: ['BSE', 'D'],
  BSE_CURRENCY: ['BSE', 'C'],
  MCX_COMM: ['MCX', 'M'],
};

// Order-update WebSocket message per DOCS /order-update (PascalCase Data keys)
// TradedQty is cumulative here, so consumers dedupe fills by (OrderNo, TradedQty)
export function toOrderAlert(o: DhanOrder, lastTradePrice?: number): Record<string, unknown> {
  const [exchange, segment] = SEGMENT_PARTS[o.exchangeSegment] ?? ['NSE', 'E'];
  return {
    Type: 'order_alert',
    Data: {
      Exchange: exchange,
      Segment: segment,
      Source: 'P',
      SecurityId: o.securityId,
      ClientId: o.dhanClientId,
      ExchOrderNo: o.exchangeOrderId ?? '',
      OrderNo: o.orderId,
      Product: PRODUCT_CODE[o.productType],
      TxnType: o.transactionType === 'BUY' ? 'B' : 'S',
      OrderType: ORDER_TYPE_CODE[o.orderType],
      Validity: o.validity,
      DiscQuantity: o.disclosedQuantity,
      DiscQtyRem: o.disclosedQuantity,
      RemainingQuantity: o.remainingQuantity,
      Quantity: o.quantity,
      TradedQty: o.filledQty,
      Price: o.price,
      TriggerPrice: o.triggerPrice,
      TradedPrice: lastTradePrice ?? 0,
      AvgTradedPrice: o.averageTradedPrice,
      AlgoOrdNo: '',
      OffMktFlag: o.afterMarketOrder ? '1' : '0',
      OrderDateTime: o.createTime,
      ExchOrderTime: o.exchangeTime ?? '',
      LastUpdatedTime: o.updateTime,
      Remarks: '',
      MktType: 'NL',
      ReasonDescription: o.omsErrorDescription ?? '',
      LegNo: 1,
      Status: o.orderStatus,
      Symbol: o.tradingSymbol ?? '',
      DisplayName: o.tradingSymbol ?? '',
      CorrelationId: o.correlationId ?? '',
    },
  };
}
