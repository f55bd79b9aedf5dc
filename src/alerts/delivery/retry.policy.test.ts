import { describe, expect, it } from 'vitest';
import { retryDecision } from './retry.policy.js';

const settings = { retryBaseSeconds: 2, retryMaxSeconds: 60, maxAgeMinutes: 240 };

describe('retry policy', () => {
  it('doubles the wait with each attempt, with jitter between half and all of it', () => {
    expect(retryDecision(settings, 1, 0, undefined, () => 0)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(retryDecision(settings, 1, 0, undefined, () => 1)).toEqual({ kind: 'retry', delayMs: 2000 });
    expect(retryDecision(settings, 3, 0, undefined, () => 1)).toEqual({ kind: 'retry', delayMs: 8000 });
  });

  it('caps the wait and honours a longer Retry-After', () => {
    expect(retryDecision(settings, 20, 0, undefined, () => 1)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(retryDecision(settings, 1, 0, 30_000, () => 1)).toEqual({ kind: 'retry', delayMs: 30_000 });
  });

  it('gives up when the next attempt would pass the maximum age', () => {
    const decision = retryDecision(settings, 9, 240 * 60_000 - 1000, undefined, () => 0.5);
    expect(decision.kind).toBe('give_up');
    expect(decision.kind === 'give_up' && decision.reason).toMatch(/240 minutes \(9 attempts\)/);
  });
});
