/** What to do with a delivery after a retryable failure. */
export type RetryDecision = { kind: 'retry'; delayMs: number } | { kind: 'give_up'; reason: string };

export interface RetrySettings {
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Past this age (from the delivery's creation) a delivery stops retrying: technical_failure. */
  maxAgeMinutes: number;
}

/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of
 * base·2^(n-1), capped at the maximum, never less than a provider's Retry-After. A delivery whose
 * next attempt would fall past its maximum age gives up.
 */
export function retryDecision(
  settings: RetrySettings,
  attempts: number,
  ageMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): RetryDecision {
  const ceiling =
    Math.min(settings.retryMaxSeconds, settings.retryBaseSeconds * 2 ** Math.max(0, attempts - 1)) * 1000;
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const delayMs = Math.round(Math.max(jittered, retryAfterMs ?? 0));
  const maxAgeMs = settings.maxAgeMinutes * 60_000;
  if (ageMs + delayMs > maxAgeMs) {
    return {
      kind: 'give_up',
      reason: `no success within ${settings.maxAgeMinutes} minutes (${attempts} attempts)`,
    };
  }
  return { kind: 'retry', delayMs };
}
