import type { SendOutcome } from '../provider.js';

/** Outcomes reported as they come, those known in the same turn of the event loop together. */
export interface OutcomeReporter {
  add(outcome: SendOutcome): void;
  /** Report whatever is waiting now. */
  flush(): void;
}

/**
 * Report each outcome as soon as it is known, without one `report` call per message under load:
 * outcomes that arrive within one turn of the event loop go in one call.
 */
export function outcomeReporter(report: (outcomes: SendOutcome[]) => void): OutcomeReporter {
  let waiting: SendOutcome[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (waiting.length === 0) return;
    const outcomes = waiting;
    waiting = [];
    report(outcomes);
  };
  return {
    add(outcome) {
      waiting.push(outcome);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** The outcome for a message never sent because the batch was aborted (safe to retry). */
export function notSent(deliveryId: string): SendOutcome {
  return { deliveryId, kind: 'retryable', error: 'not sent: the batch was stopped', code: 'aborted' };
}

/**
 * Run `work` for each item with at most `concurrency` at once; stop starting new ones when the
 * signal aborts and hand those to `skipped`.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
  skipped: (item: T) => void,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      if (signal.aborted) skipped(item);
      else await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** At most `limit` holders at once, across every batch of a provider; waiters served in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Run `work` holding one place. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
