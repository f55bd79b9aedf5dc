import { AppError } from '../../platform/errors.js';

/** Counts open streams per caller and in total, and refuses past the limits. */
export class StreamLimiter {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perCaller: number,
    private readonly overall: number,
  ) {}

  /** Take a slot for a caller; returns its release (idempotent). Throws rate_limited or unavailable. */
  acquire(caller: string): () => void {
    const mine = this.open.get(caller) ?? 0;
    if (mine >= this.perCaller)
      throw new AppError(
        'rate_limited',
        `You already have ${mine} live tracking streams open (at most ${this.perCaller}). Close a dashboard tab and try again.`,
        { limit: this.perCaller },
        { retryAfterSeconds: 10 },
      );
    if (this.total >= this.overall)
      throw new AppError(
        'unavailable',
        'This server follows as many live streams as it can; try again shortly.',
      );
    this.open.set(caller, mine + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.open.get(caller) ?? 1) - 1;
      if (left > 0) this.open.set(caller, left);
      else this.open.delete(caller);
    };
  }

  /** Streams open now. */
  get size(): number {
    return this.total;
  }
}
