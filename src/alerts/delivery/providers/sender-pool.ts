import type { SmsSender } from '../../../platform/delivery-settings.js';
import { pacedBucket, type TokenBucket } from './token-bucket.js';

interface PooledSender {
  number: string;
  bucket: TokenBucket;
  pausedUntil: number;
}

interface Waiter {
  cost: number;
  signal: AbortSignal;
  resolve: (sender: string | undefined) => void;
}

/** The longest the pool sleeps before it looks again (a stopped batch, a pause that was lifted). */
const maxNap = 250;

/**
 * The senders of one provider, each paced by a token bucket. Requests take the next sender with
 * room (round robin, so all are used in parallel); when none has room they wait in line, first
 * come first served, and one timer wakes the pool when the earliest sender will have room: no
 * busy polling however many requests wait. Buckets live in this process, so a configured rate is
 * per worker process.
 */
export class SenderPool {
  private next = 0;
  private readonly line: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly senders: PooledSender[]) {}

  /** SMS senders, each with its own bucket counting segments. */
  static forSms(senders: readonly SmsSender[], now = Date.now()): SenderPool {
    return new SenderPool(
      senders.map((s) => ({
        number: s.number,
        bucket: pacedBucket(s.segmentsPerSecond, now),
        pausedUntil: 0,
      })),
    );
  }

  /** Callers sharing one bucket: calls per second for the whole account. */
  static forCalls(callers: readonly string[], callsPerSecond: number, now = Date.now()): SenderPool {
    const bucket = pacedBucket(callsPerSecond, now);
    return new SenderPool(callers.map((number) => ({ number, bucket, pausedUntil: 0 })));
  }

  get size(): number {
    return this.senders.length;
  }

  /** Take `cost` tokens from the next sender with room, waiting in line for one; undefined when stopped. */
  acquire(cost: number, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted || this.senders.length === 0) return Promise.resolve(undefined);
    if (this.line.length === 0) {
      const taken = this.take(cost, Date.now());
      if (typeof taken === 'string') return Promise.resolve(taken);
    }
    return new Promise((resolve) => {
      this.line.push({ cost, signal, resolve });
      if (this.line.length === 1) this.serve();
    });
  }

  /** Stop using a sender for `ms` (the provider said 429 with Retry-After). */
  pause(number: string, ms: number): void {
    const sender = this.senders.find((s) => s.number === number);
    if (sender) sender.pausedUntil = Math.max(sender.pausedUntil, Date.now() + ms);
  }

  /** A sender with room for `cost` now (its tokens taken), or how long until the first one has. */
  private take(cost: number, now: number): string | number {
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
    return wait;
  }

  /** Hand senders to the line in order while there is room; then sleep until the head's turn. */
  private serve(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let i = this.line.length - 1; i >= 0; i -= 1) {
      const waiter = this.line[i]!;
      if (!waiter.signal.aborted) continue;
      this.line.splice(i, 1);
      waiter.resolve(undefined);
    }
    while (this.line.length > 0) {
      const head = this.line[0]!;
      const taken = this.take(head.cost, Date.now());
      if (typeof taken === 'number') {
        this.timer = setTimeout(() => this.serve(), Math.min(taken, maxNap));
        return;
      }
      this.line.shift();
      head.resolve(taken);
    }
  }
}
