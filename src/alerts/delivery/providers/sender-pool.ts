import type { SmsSender } from '../../../platform/delivery-settings.js';
import { sleep } from './outcome-reporter.js';
import { pacedBucket, type TokenBucket } from './token-bucket.js';

interface PooledSender {
  number: string;
  bucket: TokenBucket;
  pausedUntil: number;
}

/** The longest a waiting request sleeps before it looks again (a pause may be lifted, a sender freed). */
const maxNap = 250;

/**
 * The senders of one provider, each paced by its own segment bucket. Requests take the next
 * sender with room (round robin, so all are used in parallel) and wait when none has any.
 * Buckets live in this process: the configured rate is per worker process.
 */
export class SenderPool {
  private readonly senders: PooledSender[];
  private next = 0;

  constructor(senders: readonly SmsSender[], now = Date.now()) {
    this.senders = senders.map((s) => ({
      number: s.number,
      bucket: pacedBucket(s.segmentsPerSecond, now),
      pausedUntil: 0,
    }));
  }

  /** Take `cost` tokens (segments) from the first sender with room; undefined when the signal aborts first. */
  async acquire(cost: number, signal: AbortSignal): Promise<string | undefined> {
    while (!signal.aborted) {
      const now = Date.now();
      let wait = Infinity;
      for (let i = 0; i < this.senders.length; i += 1) {
        const sender = this.senders[(this.next + i) % this.senders.length]!;
        const paused = sender.pausedUntil - now;
        const waitHere = paused > 0 ? paused : sender.bucket.take(cost, now);
        if (waitHere === 0) {
          this.next = (this.next + i + 1) % this.senders.length;
          return sender.number;
        }
        wait = Math.min(wait, waitHere);
      }
      await sleep(Math.min(wait, maxNap), signal);
    }
    return undefined;
  }

  /** Stop using a sender for `ms` (the provider said 429 with Retry-After). */
  pause(number: string, ms: number): void {
    const sender = this.senders.find((s) => s.number === number);
    if (sender) sender.pausedUntil = Math.max(sender.pausedUntil, Date.now() + ms);
  }
}
