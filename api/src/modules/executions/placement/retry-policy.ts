// Exponential backoff with full jitter: attempt n waits a random time in [base*2^(n-1)/2, base*2^(n-1)], capped.
export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
