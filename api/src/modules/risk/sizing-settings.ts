import { badInput } from '../../shared/app-error';
import { SizingMode } from './sizing-mode';

// The modes that compute a quantity need their value, and a percent of capital above 100 would borrow
export function checkSizing(s: { sizingMode: SizingMode; sizingValue?: string | null }): void {
  const needs =
    s.sizingMode === SizingMode.PERCENT_OF_CAPITAL ||
    s.sizingMode === SizingMode.RISK_PER_TRADE ||
    s.sizingMode === SizingMode.MULTIPLIER;
  if (needs && !s.sizingValue) {
    const message = `sizingMode ${s.sizingMode} needs sizingValue (${s.sizingMode === SizingMode.PERCENT_OF_CAPITAL ? 'the percent' : s.sizingMode === SizingMode.RISK_PER_TRADE ? 'the INR risked per trade' : 'the multiplier'})`;
    throw badInput(message, [{ path: 'sizingValue', message }]);
  }
  if (s.sizingMode === SizingMode.PERCENT_OF_CAPITAL && Number(s.sizingValue) > 100) {
    throw badInput('sizingValue is a percent of capital: at most 100', [
      { path: 'sizingValue', message: 'at most 100 (percent)' },
    ]);
  }
}
