import type { Logger } from 'pino';
import type { Agent } from 'undici';
import { postSignedForm, webhookAgent } from './signed-post.js';

/**
 * The status callbacks of one message or call: each step's params are POSTed (signed) to the
 * StatusCallback URL `delayMs` after the previous step's POST finished, so they arrive in order.
 * Without a URL the steps still run, moving the stored status along.
 */
export interface ReceiptChain {
  url: string | undefined;
  authToken: string;
  steps: Array<Record<string, string>>;
  /** Called as each step goes out (updates the stored status; the last one records the outcome). */
  onStep: (params: Record<string, string>, last: boolean) => void;
  /** Fraction of POSTs sent twice, as providers sometimes do. */
  duplicateRate: number;
}

interface Pending {
  chain: ReceiptChain;
  index: number;
  /** A duplicate POST: sent once more, never continues the chain. */
  copy: boolean;
}

/** Counts GET /control/stats shows under `callbacks`. */
export interface CallbackCounts {
  sent: number;
  duplicatesSent: number;
  failed: Record<string, number>;
  dropped: number;
  pending: number;
  inFlight: number;
}

export interface DispatcherOptions {
  delayMs: number;
  concurrency: number;
  maxPending: number;
  timeoutMs: number;
  log: Logger;
}

const slotMs = 10;

/**
 * Sends status callbacks without holding up the API: a timer wheel of 10 ms slots feeds a ready
 * queue drained by at most `concurrency` POSTs in flight over keep-alive sockets. Past
 * `maxPending` waiting steps new chains are dropped and counted, so memory stays bounded.
 */
export class CallbackDispatcher {
  private readonly wheel = new Map<number, Pending[]>();
  private ready: Array<Pending | undefined> = [];
  private readyHead = 0;
  private waiting = 0;
  private inFlight = 0;
  private counts = { sent: 0, duplicatesSent: 0, dropped: 0, failed: {} as Record<string, number> };
  private readonly agent: Agent;
  private readonly ticker: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.agent = webhookAgent(options.concurrency, options.timeoutMs);
    this.ticker = setInterval(() => this.tick(), slotMs);
    this.ticker.unref();
  }

  /** Start a chain; its first step goes after the configured delay. False when dropped. */
  start(chain: ReceiptChain): boolean {
    if (this.waiting >= this.options.maxPending || chain.steps.length === 0) {
      this.counts.dropped += 1;
      return false;
    }
    this.schedule({ chain, index: 0, copy: false });
    return true;
  }

  private schedule(p: Pending): void {
    const slot = Math.ceil((Date.now() + this.options.delayMs) / slotMs);
    const list = this.wheel.get(slot);
    if (list) list.push(p);
    else this.wheel.set(slot, [p]);
    this.waiting += 1;
  }

  private tick(): void {
    const now = Date.now() / slotMs;
    for (const [slot, list] of this.wheel) {
      if (slot > now) continue;
      this.wheel.delete(slot);
      for (const p of list) this.ready.push(p);
    }
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.readyHead < this.ready.length) {
      const p = this.ready[this.readyHead];
      this.ready[this.readyHead] = undefined;
      this.readyHead += 1;
      this.waiting -= 1;
      if (p) void this.run(p);
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }

  private async run(p: Pending): Promise<void> {
    const { chain, index } = p;
    const params = chain.steps[index]!;
    const last = index === chain.steps.length - 1;
    if (!p.copy) chain.onStep(params, last);
    if (chain.url) {
      if (!p.copy && chain.duplicateRate && Math.random() < chain.duplicateRate) {
        this.ready.push({ chain, index, copy: true });
        this.waiting += 1;
      }
      this.inFlight += 1;
      await this.post(chain.url, params, chain.authToken, p.copy);
      this.inFlight -= 1;
    }
    if (!p.copy && !last && !this.stopped) this.schedule({ chain, index: index + 1, copy: false });
    this.pump();
  }

  private async post(url: string, params: Record<string, string>, token: string, copy: boolean) {
    const result = await postSignedForm(this.agent, url, params, token, { readBody: false });
    if (result.status !== null && result.status < 400) {
      this.counts.sent += 1;
      if (copy) this.counts.duplicatesSent += 1;
      return;
    }
    const code = result.error ?? `http_${result.status}`;
    this.counts.failed[code] = (this.counts.failed[code] ?? 0) + 1;
    if (this.counts.failed[code] === 1)
      this.options.log.warn({ url, code }, 'status callback failed (logged once per kind)');
  }

  /** Counters since the last reset. */
  stats(): CallbackCounts {
    return {
      ...this.counts,
      failed: { ...this.counts.failed },
      pending: this.waiting,
      inFlight: this.inFlight,
    };
  }

  /** Zero the counters; callbacks already scheduled still go out. */
  resetCounts(): void {
    this.counts = { sent: 0, duplicatesSent: 0, dropped: 0, failed: {} };
  }

  /** Stop sending: scheduled callbacks are discarded, sockets closed. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    this.wheel.clear();
    this.ready = [];
    this.readyHead = 0;
    this.waiting = 0;
    void this.agent.destroy().catch(() => undefined);
  }
}
