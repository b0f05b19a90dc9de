// The exchange segments a strategy can trade (DhanHQ's names, as the API accepts them)
export const EXCHANGE_SEGMENTS = [
  "NSE_EQ",
  "NSE_FNO",
  "BSE_EQ",
  "BSE_FNO",
  "MCX_COMM",
  "NSE_CURRENCY",
  "BSE_CURRENCY",
] as const;
