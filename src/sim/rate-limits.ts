/** Sender throughput limits, as carriers and Twilio enforce them. 0 means unlimited. */
export interface RateLimits {
  /** SMS segments per second for each sender without its own rate (a US long code: 1). */
  smsSegmentsPerSecond: number;
  /** Segments per second for particular senders (toll-free 3, short code 100, …). */
  senderRates: Record<string, number>;
  /** Calls per second for each sender. */
  callsPerSecond: number;
}

/** Wait in milliseconds before the next request can pass; 0 when it passed. */
export type RetryAfterMs = number;

/**
 * A token bucket holding one second's worth of tokens (at least one). A request passes while at
 * least one token is left and then costs its full weight, possibly leaving the bucket in debt:
 * a 3-segment SMS on a 1 segment/s sender passes and holds the next one back 3 s, as a carrier's
 * pacing does, instead of never fitting in a one-token bucket.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.capacity = Math.max(1, perSecond);
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /** Take `cost` tokens if the bucket is not empty. */
  take(cost: number, now: number): RetryAfterMs {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= cost;
      return 0;
    }
    // The epsilon keeps floating-point dust from rounding a wait up by a whole millisecond.
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000 - 1e-6));
  }
}

/** One bucket per key, created on first use; a rate of 0 never limits. */
class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();

  take(key: string, perSecond: number, cost: number, now: number): RetryAfterMs {
    if (!(perSecond > 0)) return 0;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(perSecond, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(cost, now);
  }

  delete(key: string): void {
    this.buckets.delete(key);
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** Per-sender SMS segment and call limits. Senders are the configured ones, so the maps stay small. */
export class SenderLimiter {
  private readonly sms = new BucketMap();
  private readonly calls = new BucketMap();

  constructor(private limits: RateLimits) {}

  /** The limits in force. */
  current(): RateLimits {
    return { ...this.limits, senderRates: { ...this.limits.senderRates } };
  }

  /** Replace the limits; every bucket starts full again. */
  configure(limits: RateLimits): void {
    this.limits = limits;
    this.reset();
  }

  /** Refill every bucket. */
  reset(): void {
    this.sms.clear();
    this.calls.clear();
  }

  /** Charge an SMS of `segments` segments to `sender`. */
  takeSms(sender: string, segments: number, now: number): RetryAfterMs {
    const rate = this.limits.senderRates[sender] ?? this.limits.smsSegmentsPerSecond;
    return this.sms.take(sender, rate, segments, now);
  }

  /** Charge one call to `sender`. */
  takeCall(sender: string, now: number): RetryAfterMs {
    return this.calls.take(sender, this.limits.callsPerSecond, 1, now);
  }
}

/** A channel-wide request limit (a provider's account limit), set through faults. */
export class ChannelLimiter {
  private readonly buckets = new BucketMap();
  private readonly rates = new Map<string, number>();

  /** Charge one request on `channel` at `perSecond` (0: unlimited); a changed rate starts a full bucket. */
  take(channel: string, perSecond: number, now: number): RetryAfterMs {
    if (this.rates.get(channel) !== perSecond) {
      this.rates.set(channel, perSecond);
      this.buckets.delete(channel);
    }
    return this.buckets.take(channel, perSecond, 1, now);
  }

  reset(): void {
    this.buckets.clear();
  }
}
