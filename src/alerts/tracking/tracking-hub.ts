import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isAppError } from '../../platform/errors.js';
import { withoutNeedHelpList, type AlertTracking } from './alert-tracking.js';

/** One poll of an alert, serialised once for every stream that shows it. */
export interface TrackingFrame {
  tracking: AlertTracking;
  /** JSON with and without the need-help list, and an id for each that changes when the content does. */
  full: { id: string; json: string };
  redacted: { id: string; json: string };
  /** The alert is closed: nothing more will change, streams end after this frame. */
  final: boolean;
}

/** A stream following an alert. */
export interface TrackingSubscriber {
  /** A new frame (every poll while sending, else only when something changed). */
  frame(frame: TrackingFrame): void;
  /** Called after every poll, changed or not: time for heartbeats and credential checks. */
  tick(): void;
  /** The alert closed, disappeared or the server is stopping: end the stream. */
  end(): void;
}

export interface TrackingHubOptions {
  /** Poll interval while the alert is sending or deliveries are still pending (default 1 s). */
  fastMs?: number;
  /** Poll interval otherwise, for receipts and acknowledgements that trickle in (default 5 s). */
  slowMs?: number;
}

type Loader = (alertId: string) => Promise<AlertTracking>;

/**
 * One poller per alert per process, shared by every stream on that alert: ten dashboards on one
 * alert cost one tracking query per second, not ten. A poller starts with its first subscriber and
 * stops (timer cleared, removed) with its last.
 */
export class TrackingHub {
  private readonly pollers = new Map<string, AlertPoller>();
  private closed = false;

  constructor(
    private readonly load: Loader,
    private readonly log: Logger,
    private readonly options: TrackingHubOptions = {},
  ) {}

  /** Pollers running now (one per alert followed by at least one stream). */
  get pollerCount(): number {
    return this.pollers.size;
  }

  /** True once close() ran: a new server on the same context needs a new hub. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Streams following alerts now. */
  get subscriberCount(): number {
    let n = 0;
    for (const p of this.pollers.values()) n += p.subscribers.size;
    return n;
  }

  /**
   * Follow an alert: resolves with the latest frame (polling first if no stream follows it yet),
   * then calls the subscriber on every poll. Rejects (not_found) for an unknown alert.
   */
  async subscribe(
    alertId: string,
    subscriber: TrackingSubscriber,
  ): Promise<{ frame: TrackingFrame; unsubscribe: () => void }> {
    if (this.closed) throw new Error('tracking hub is closed');
    let poller = this.pollers.get(alertId);
    if (!poller) {
      poller = new AlertPoller(alertId, this.load, this.log, this.options, () =>
        this.forget(alertId, poller!),
      );
      this.pollers.set(alertId, poller);
    }
    poller.subscribers.add(subscriber);
    try {
      const frame = await poller.ready();
      return { frame, unsubscribe: () => poller.unsubscribe(subscriber) };
    } catch (error) {
      poller.unsubscribe(subscriber);
      throw error;
    }
  }

  /** End every stream and stop every poller (server shutdown). */
  close(): void {
    this.closed = true;
    for (const poller of [...this.pollers.values()]) poller.endAll();
    this.pollers.clear();
  }

  private forget(alertId: string, poller: AlertPoller): void {
    if (this.pollers.get(alertId) === poller) this.pollers.delete(alertId);
  }
}

class AlertPoller {
  readonly subscribers = new Set<TrackingSubscriber>();
  private latest: TrackingFrame | null = null;
  private first: Promise<TrackingFrame> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polledAt = 0;

  constructor(
    private readonly alertId: string,
    private readonly load: Loader,
    private readonly log: Logger,
    private readonly options: TrackingHubOptions,
    private readonly onStop: () => void,
  ) {}

  /** The latest frame, after the first poll. */
  ready(): Promise<TrackingFrame> {
    if (this.latest) return Promise.resolve(this.latest);
    this.first ??= this.poll().then((frame) => {
      this.schedule(frame);
      return frame;
    });
    return this.first;
  }

  unsubscribe(subscriber: TrackingSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.stop();
  }

  endAll(): void {
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    this.stop();
    for (const s of subscribers) s.end();
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onStop();
  }

  private async poll(): Promise<TrackingFrame> {
    this.polledAt = performance.now();
    const frame = frameOf(await this.load(this.alertId));
    this.latest = frame;
    return frame;
  }

  /** Poll again soon; a closed alert needs no more polls (its streams end after its frame). */
  private schedule(frame: TrackingFrame): void {
    if (this.stopped || frame.final) return;
    this.wait(isBusy(frame.tracking) ? (this.options.fastMs ?? 1000) : (this.options.slowMs ?? 5000));
  }

  /** Next poll `interval` after the start of the last one (a slow query does not stretch the period). */
  private wait(interval: number): void {
    const delay = Math.max(0, interval - (performance.now() - this.polledAt));
    this.timer = setTimeout(() => void this.next(), delay);
    this.timer.unref();
  }

  private async next(): Promise<void> {
    const previous = this.latest!;
    let frame: TrackingFrame;
    try {
      frame = await this.poll();
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return this.endAll();
      this.log.warn({ err: error, alertId: this.alertId }, 'tracking poll failed; retrying');
      if (this.stopped) return;
      for (const s of [...this.subscribers]) s.tick();
      this.wait(this.options.slowMs ?? 5000);
      return;
    }
    if (this.stopped) return;
    // While sending every poll is news (counts and throughput move); afterwards only changes are.
    const changed = isBusy(previous.tracking) || frame.full.id !== previous.full.id;
    for (const s of [...this.subscribers]) {
      if (changed) s.frame(frame);
      s.tick();
    }
    if (frame.final) return this.endAll();
    this.schedule(frame);
  }
}

/** Sending, or deliveries still in Tocsin's hands (retries, receipts to come): poll fast. */
function isBusy(tracking: AlertTracking): boolean {
  return tracking.alert.status === 'sending' || tracking.totals.done < tracking.totals.total;
}

/** Serialise a poll once, with ids that change exactly when the content (minus its time) does. */
function frameOf(tracking: AlertTracking): TrackingFrame {
  const redacted = withoutNeedHelpList(tracking);
  return {
    tracking,
    full: { id: contentId(tracking), json: JSON.stringify(tracking) },
    redacted: { id: contentId(redacted), json: JSON.stringify(redacted) },
    final: tracking.alert.status === 'closed',
  };
}

function contentId(tracking: AlertTracking): string {
  const { generatedAt: _generatedAt, ...content } = tracking;
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 16);
}
