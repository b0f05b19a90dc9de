// One strategy's position in one symbol and mode: the key that fills and order attempts queue on in-process
export const positionKey = (strategyId: string, symbol: string, mode: string): string =>
  `${strategyId}|${symbol}|${mode}`;
