import { D } from './decimal';
import { formatIst } from './ist';

// Indian digit grouping on exact decimals (never through a float): 123456.78 -> 1,23,456.78
function groupIndian(integer: string): string {
  if (integer.length <= 3) return integer;
  const last3 = integer.slice(-3);
  const rest = integer.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${rest},${last3}`;
}

// ₹1,23,456.78 and -₹1,234.50: rupees with paise, half-up
export function formatInr(value: string | number | D): string {
  const amount = new D(value).toDecimalPlaces(2);
  const [integer, fraction] = amount.abs().toFixed(2).split('.');
  return `${amount.isNegative() && !amount.isZero() ? '-' : ''}₹${groupIndian(integer)}.${fraction}`;
}

// A signed amount for P&L: +₹120.00 / -₹45.10
export function formatPnl(value: string | number | D): string {
  const amount = new D(value).toDecimalPlaces(2);
  return amount.gt(0) ? `+${formatInr(amount)}` : formatInr(amount);
}

// Quantities as traders write them: 10, 2.5 (the columns hold 4 decimal places)
export function formatQty(value: string | number | D): string {
  const qty = new D(value);
  const [integer, fraction] = qty.abs().toFixed().split('.');
  return `${qty.isNegative() ? '-' : ''}${groupIndian(integer)}${fraction ? `.${fraction}` : ''}`;
}

export const formatIstTime = (at: Date): string => `${formatIst(at)} IST`;
