import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission, type Principal } from '../../identity/principal.js';
import type { AppContext } from '../../platform/context.js';
import { principalFromRequest } from '../../identity/access-control.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { auditNeedHelpRead } from './read-tracking.js';
import { sseComment, sseEvent, sseHeaders } from './sse.js';
import type { TrackingFrame, TrackingHub, TrackingSubscriber } from './tracking-hub.js';
import { mayReadNeedHelpList, streamOwner } from './tracking.policy.js';
import type { StreamLimiter } from './stream-limiter.js';

/** How often a stream tells EventSource to wait before reconnecting, and proves it is alive. */
const streamTiming = { retryMs: 3000, heartbeatMs: 12_000, recheckMs: 60_000 };

/**
 * GET /api/v1/alerts/:id/tracking/stream: a `tracking` event now (unless Last-Event-ID says the
 * client has it), then one per poll of the shared poller; `end` when the alert is closed. A client
 * that resumes a closed alert it has already seen gets 204, which tells EventSource to stop.
 */
export async function streamTracking(
  ctx: AppContext,
  hub: TrackingHub,
  limiter: StreamLimiter,
  alertId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const principal = principalOf(request);
  const release = limiter.acquire(streamOwner(principal));
  const stream = new TrackingStream(ctx, request, principal);
  let subscription: Awaited<ReturnType<TrackingHub['subscribe']>>;
  try {
    subscription = await hub.subscribe(alertId, stream);
  } catch (error) {
    release();
    throw error;
  }
  const close = () => {
    subscription.unsubscribe();
    release();
    stream.end();
  };
  reply.raw.once('close', close);
  try {
    const { frame } = subscription;
    if (frame.final && stream.hasSeen(frame, request.headers['last-event-id'])) {
      close();
      return reply.status(204).send();
    }
    stream.start(frame, request.headers['last-event-id']);
    if (stream.seesPeople)
      await auditNeedHelpRead(ctx, principal, alertId, requestMeta(request), { via: 'tracking_stream' });
  } catch (error) {
    close();
    throw error;
  }
  if (subscription.frame.final) stream.finish();
  return reply.headers(sseHeaders).send(stream.body);
}

/** One client's stream: writes frames, heartbeats and the end; rechecks its credentials every minute. */
class TrackingStream implements TrackingSubscriber {
  readonly body = new PassThrough();
  seesPeople: boolean;
  private lastWriteAt = Date.now();
  private lastCheckAt = Date.now();
  private checking = false;
  private congested: TrackingFrame | null = null;
  private started = false;
  private early: TrackingFrame | null = null;
  private ended = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly request: FastifyRequest,
    principal: Principal,
  ) {
    this.seesPeople = mayReadNeedHelpList(principal);
    this.body.on('drain', () => {
      const pending = this.congested;
      this.congested = null;
      if (pending) this.frame(pending);
    });
  }

  /** True when the client's Last-Event-ID is this frame as they would see it. */
  hasSeen(frame: TrackingFrame, lastEventId: string | string[] | undefined): boolean {
    return typeof lastEventId === 'string' && lastEventId === this.variant(frame).id;
  }

  /** Write the first event: the newest frame, unless the client already has it. */
  start(frame: TrackingFrame, lastEventId: string | string[] | undefined): void {
    const newest = this.early ?? frame;
    this.started = true;
    this.early = null;
    if (this.hasSeen(newest, lastEventId)) this.write(sseComment('resumed; nothing changed'));
    else this.write(this.eventOf(newest, true));
  }

  frame(frame: TrackingFrame): void {
    if (this.ended) return;
    if (!this.started) {
      this.early = frame;
      return;
    }
    if (this.congested) {
      this.congested = frame;
      return;
    }
    if (!this.write(this.eventOf(frame, false))) this.congested = frame;
    if (frame.final) this.finish();
  }

  tick(): void {
    if (this.ended) return;
    const now = Date.now();
    if (now - this.lastWriteAt >= streamTiming.heartbeatMs) this.write(sseComment('keepalive'));
    if (now - this.lastCheckAt >= streamTiming.recheckMs && !this.checking) void this.recheck();
  }

  /** The alert is closed: say so, then end. */
  finish(): void {
    if (this.ended) return;
    this.write(sseEvent({ event: 'end', data: JSON.stringify({ reason: 'closed' }) }));
    this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.body.end();
  }

  private variant(frame: TrackingFrame) {
    return this.seesPeople ? frame.full : frame.redacted;
  }

  private eventOf(frame: TrackingFrame, first: boolean): string {
    const { id, json } = this.variant(frame);
    return sseEvent({ id, event: 'tracking', data: json, retryMs: first ? streamTiming.retryMs : undefined });
  }

  private write(chunk: string): boolean {
    this.lastWriteAt = Date.now();
    return this.body.write(chunk);
  }

  /** A stream outlives the request that opened it: end it when the session or token no longer may read. */
  private async recheck(): Promise<void> {
    this.checking = true;
    try {
      const principal = await principalFromRequest(this.ctx, this.request);
      if (!principal || !hasPermission(principal, 'alerts.read')) return this.end();
      // Never widened mid-stream: seeing people was audited (or not) when the stream opened.
      this.seesPeople = this.seesPeople && mayReadNeedHelpList(principal);
      this.lastCheckAt = Date.now();
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'tracking stream credential check failed; ending the stream');
      this.end();
    } finally {
      this.checking = false;
    }
  }
}
