/**
 * A token bucket: `perSecond` tokens a second, holding at most `capacity`. A request passes when
 * the bucket holds its cost (or is full, for a cost above the capacity, which then leaves the
 * bucket in debt: a 3-segment SMS on a 1 segment/s sender waits 3 s before the next one).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Take `cost` tokens now and return 0, or return how many milliseconds until they would be there. */
  take(cost: number, now: number): number {
    if (!(this.perSecond > 0)) return 0;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    const needed = Math.min(cost, this.capacity);
    if (this.tokens >= needed) {
      this.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil(((needed - this.tokens) / this.perSecond) * 1000));
  }
}

/**
 * How Tocsin paces a sender against the rate its carrier allows: 2% under the rate, with a burst
 * of half a second, so the provider's own bucket (a full second at the full rate) always has room
 * left for requests that arrive bunched up by network jitter: no 429s, at least 95% utilisation.
 */
const pacing = { rateShare: 0.98, burstSeconds: 0.5 } as const;

/** A bucket pacing `perSecond` the way `pacing` says; 0 means no pacing. */
export function pacedBucket(perSecond: number, now: number): TokenBucket {
  return new TokenBucket(perSecond * pacing.rateShare, Math.max(1, perSecond * pacing.burstSeconds), now);
}
