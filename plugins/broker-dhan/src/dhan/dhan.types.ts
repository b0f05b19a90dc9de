// Wire shapes of DhanHQ v2 (https://dhanhq.co/docs/v2/). Field names are Dhan's, typos included.

export const DHAN_SEGMENTS = [
  'IDX_I',
  'NSE_EQ',
  'NSE_FNO',
  'NSE_CURRENCY',
  'BSE_EQ',
  'MCX_COMM',
  'BSE_CURRENCY',
  'BSE_FNO',
] as const;
export type DhanSegment = (typeof DHAN_SEGMENTS)[number];
export const DHAN_PRODUCTS = ['CNC', 'INTRADAY', 'MARGIN', 'MTF', 'CO', 'BO'] as const;
export type DhanProduct = (typeof DHAN_PRODUCTS)[number];
export const DHAN_ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_MARKET'] as const;
export type DhanOrderType = (typeof DHAN_ORDER_TYPES)[number];
export const DHAN_VALIDITIES = ['DAY', 'IOC'] as const;
export type DhanValidity = (typeof DHAN_VALIDITIES)[number];
export const DHAN_SIDES = ['BUY', 'SELL'] as const;
export type DhanSide = (typeof DHAN_SIDES)[number];
export const DHAN_ORDER_STATUSES = [
  'TRANSIT',
  'PENDING',
  'PART_TRADED',
  'TRADED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
  'CLOSED',
  'TRIGGERED',
] as const;
export type DhanOrderStatus = (typeof DHAN_ORDER_STATUSES)[number];
export const DHAN_AMO_TIMES = ['PRE_OPEN', 'OPEN', 'OPEN_30', 'OPEN_60'] as const;

export type DhanPlaceOrderBody = {
  dhanClientId: string;
  correlationId?: string;
  transactionType: DhanSide;
  exchangeSegment: DhanSegment;
  productType: DhanProduct;
  orderType: DhanOrderType;
  validity: DhanValidity;
  securityId: string;
  quantity: number;
  disclosedQuantity?: number;
  price: number;
  triggerPrice?: number;
  afterMarketOrder?: boolean;
  amoTime?: string;
};

export type DhanModifyOrderBody = {
  dhanClientId: string;
  orderId: string;
  orderType: DhanOrderType;
  legName: string | null;
  quantity: number;
  price: number;
  disclosedQuantity?: number;
  triggerPrice?: number;
  validity: DhanValidity;
};

// {"orderId":"112111182198","orderStatus":"TRANSIT"}
export type DhanOrderAck = { orderId: string; orderStatus: DhanOrderStatus };

// Trimmed from DhanHQ-py tests/data/get-order-by-id.json (data only; the SDK wrapper is not on the wire)
export type DhanOrder = {
  dhanClientId: string;
  orderId: string;
  exchangeOrderId: string | null;
  correlationId: string | null;
  orderStatus: DhanOrderStatus;
  transactionType: DhanSide;
  exchangeSegment: DhanSegment;
  productType: DhanProduct;
  orderType: DhanOrderType;
  validity: DhanValidity;
  tradingSymbol: string | null;
  securityId: string;
  quantity: number;
  disclosedQuantity: number;
  price: number;
  triggerPrice: number;
  afterMarketOrder: boolean;
  boProfitValue: number | null;
  boStopLossValue: number | null;
  legName: string | null;
  createTime: string;
  updateTime: string;
  exchangeTime: string | null;
  drvExpiryDate: string | null;
  drvOptionType: 'CALL' | 'PUT' | null;
  drvStrikePrice: number | null;
  omsErrorCode: string | null;
  omsErrorDescription: string | null;
  algoId: string | null;
  remainingQuantity: number;
  averageTradedPrice: number;
  filledQty: number;
};

export type DhanTrade = {
  dhanClientId: string;
  orderId: string;
  exchangeOrderId: string | null;
  exchangeTradeId: string;
  transactionType: DhanSide;
  exchangeSegment: DhanSegment;
  productType: DhanProduct;
  orderType: DhanOrderType;
  tradingSymbol: string | null;
  customSymbol: string | null;
  securityId: string;
  tradedQuantity: number;
  tradedPrice: number;
  createTime: string;
  updateTime: string;
  exchangeTime: string | null;
  drvExpiryDate: string | null;
  drvOptionType: 'CALL' | 'PUT' | null;
  drvStrikePrice: number | null;
};

export type DhanPosition = {
  dhanClientId: string;
  tradingSymbol: string | null;
  securityId: string;
  positionType: 'LONG' | 'SHORT' | 'CLOSED';
  exchangeSegment: DhanSegment;
  productType: DhanProduct;
  buyAvg: number;
  costPrice: number;
  buyQty: number;
  sellAvg: number;
  sellQty: number;
  netQty: number;
  realizedProfit: number;
  unrealizedProfit: number;
  rbiReferenceRate: number;
  multiplier: number;
  carryForwardBuyQty: number;
  carryForwardSellQty: number;
  carryForwardBuyValue: number;
  carryForwardSellValue: number;
  dayBuyQty: number;
  daySellQty: number;
  dayBuyValue: number;
  daySellValue: number;
  drvExpiryDate: string | null;
  drvOptionType: 'CALL' | 'PUT' | null;
  drvStrikePrice: number | null;
  crossCurrency: boolean;
};

export type DhanHolding = {
  exchange: string;
  tradingSymbol: string;
  securityId: string;
  isin: string;
  totalQty: number;
  dpQty: number;
  t1Qty: number;
  availableQty: number;
  collateralQty: number;
  avgCostPrice: number;
  lastTradedPrice: number;
};

// The misspellings availabelBalance and receiveableAmount are the real field names
export type DhanFundLimit = {
  dhanClientId: string;
  availabelBalance: number;
  sodLimit: number;
  collateralAmount: number;
  receiveableAmount: number;
  utilizedAmount: number;
  blockedPayoutAmount: number;
  withdrawableBalance: number;
};

export type DhanProfile = {
  dhanClientId: string;
  tokenValidity: string;
  activeSegment: string;
  ddpi: string;
  mtf: string;
  dataPlan: string;
  dataValidity: string;
};

export type DhanKillSwitchAck = { dhanClientId: string; killSwitchStatus: string };

// Current error body, and the older gateway shape (DhanHQ-py PR #5)
export type DhanErrorBody = { errorType?: string; errorCode?: string; errorMessage?: string };
export type DhanLegacyErrorBody = {
  errorCode?: string;
  httpStatus?: string;
  internalErrorCode?: string;
  internalErrorMessage?: string;
};
