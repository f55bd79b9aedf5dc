import { channels, type Channel } from './faults.js';

const duplicateSampleSize = 20;

/** Throughput of one sender. */
interface SenderCounter {
  accepted: number;
  segments: number;
  firstSegments: number;
  firstAt: number;
  lastAt: number;
}

class ChannelCounter {
  requests = 0;
  accepted = 0;
  rejected: Record<string, number> = {};
  responsesLost = 0;
  ids = new Set<string>();
  duplicates = 0;
  duplicateIds: string[] = [];
  withoutDeliveryId = 0;
  untrackedIds = 0;
  firstAcceptedAt = 0;
  lastAcceptedAt = 0;
  segments = 0;
  senders = new Map<string, SenderCounter>();
  outcomes: Record<string, number> = {};
  counts: Record<string, number> = {};
}

/** Achieved rate over a span: the first event opens the span, so it is not counted in it. */
function perSecond(total: number, first: number, from: number, to: number): number | null {
  return to > from ? Math.round(((total - first) / ((to - from) / 1000)) * 100) / 100 : null;
}

/** Throughput of one SMS sender as GET /control/stats shows it. */
interface SenderStats {
  accepted: number;
  segments: number;
  firstAcceptedAt: string | null;
  lastAcceptedAt: string | null;
  segmentsPerSecond: number | null;
}

/** One channel's counters as GET /control/stats shows them. */
export interface ChannelStats {
  requests: number;
  /** Requests received and not yet answered at the time of the snapshot. */
  inFlight: number;
  accepted: number;
  /** Refusals by the code the client saw: Twilio error code, HTTP or SMTP status, or "timeout". */
  rejected: Record<string, number>;
  /** Accepted, then the response was withheld (timeoutAfterAccept). */
  responsesLost: number;
  uniqueDeliveryIds: number;
  /** Acceptances whose delivery id had been accepted before. */
  duplicates: number;
  /** The first few duplicated ids. */
  duplicateIds: string[];
  withoutDeliveryId: number;
  untrackedIds: number;
  firstAcceptedAt: string | null;
  lastAcceptedAt: string | null;
  acceptedPerSecond: number | null;
  /** Final statuses reached by simulated receipts (delivered, undelivered, completed, busy, …). */
  outcomes: Record<string, number>;
  /** Channel-specific counts: email `messages` and `idMismatches`, webhook `signed` and `unsigned`. */
  counts: Record<string, number>;
  segments?: number;
  senders?: Record<string, SenderStats>;
}

/** Everything counted since the last reset. */
export interface StatsSnapshot {
  since: string;
  trackedIds: number;
  channels: Record<Channel, ChannelStats>;
}

const iso = (ms: number) => (ms ? new Date(ms).toISOString() : null);

/**
 * Counters per channel: requests, acceptances, rejections by the code the client saw, and the
 * delivery ids Tocsin sent, to count duplicates (the same delivery accepted twice). Ids are held
 * in memory up to `maxTrackedIds` across channels; later ones are counted as untracked.
 */
export class SimStats {
  private counters = new Map<Channel, ChannelCounter>();
  private since = Date.now();
  private trackedIds = 0;

  constructor(private readonly maxTrackedIds: number) {
    this.reset();
  }

  /** Zero everything. */
  reset(): void {
    this.counters = new Map(channels.map((c) => [c, new ChannelCounter()]));
    this.since = Date.now();
    this.trackedIds = 0;
  }

  private of(channel: Channel): ChannelCounter {
    return this.counters.get(channel)!;
  }

  /** A request (an HTTP call, or one SMTP recipient) arrived. */
  request(channel: Channel, n = 1): void {
    this.of(channel).requests += n;
  }

  /** Requests received and not yet answered, per channel (kept across resets: they are still open). */
  private open = new Map<Channel, number>(channels.map((c) => [c, 0]));

  /** A request was received (`n` SMTP recipients); `answered` when its response has gone or its connection closed. */
  opened(channel: Channel, n = 1): void {
    this.open.set(channel, this.open.get(channel)! + n);
  }

  answered(channel: Channel, n = 1): void {
    this.open.set(channel, this.open.get(channel)! - n);
  }

  /** Requests were refused with `code` (a Twilio error code, an HTTP or SMTP status, or "timeout"). */
  reject(channel: Channel, code: string, n = 1): void {
    const c = this.of(channel);
    c.rejected[code] = (c.rejected[code] ?? 0) + n;
  }

  /** A request was accepted but its response was withheld (a simulated lost response). */
  responseLost(channel: Channel): void {
    this.of(channel).responsesLost += 1;
  }

  /** One delivery was accepted, carrying Tocsin's delivery id when it sent one. */
  accept(channel: Channel, deliveryId: string | undefined, now: number): void {
    const c = this.of(channel);
    c.accepted += 1;
    if (!c.firstAcceptedAt) c.firstAcceptedAt = now;
    c.lastAcceptedAt = now;
    if (!deliveryId) {
      c.withoutDeliveryId += 1;
    } else if (c.ids.has(deliveryId)) {
      c.duplicates += 1;
      if (c.duplicateIds.length < duplicateSampleSize) c.duplicateIds.push(deliveryId);
    } else if (this.trackedIds < this.maxTrackedIds) {
      c.ids.add(deliveryId);
      this.trackedIds += 1;
    } else {
      c.untrackedIds += 1;
    }
  }

  /** Segments an accepted SMS cost its sender. */
  segments(sender: string, segments: number, now: number): void {
    const c = this.of('sms');
    c.segments += segments;
    const s = c.senders.get(sender);
    if (!s) {
      c.senders.set(sender, { accepted: 1, segments, firstSegments: segments, firstAt: now, lastAt: now });
      return;
    }
    s.accepted += 1;
    s.segments += segments;
    s.lastAt = now;
  }

  /** The final status a message or call reached (delivered, undelivered, completed, busy, …). */
  outcome(channel: Channel, status: string): void {
    const c = this.of(channel);
    c.outcomes[status] = (c.outcomes[status] ?? 0) + 1;
  }

  /** A channel-specific count (email transactions, signed webhooks, …). */
  count(channel: Channel, name: string, n = 1): void {
    const c = this.of(channel);
    c.counts[name] = (c.counts[name] ?? 0) + n;
  }

  /** Everything counted since the last reset, as GET /control/stats shows it. */
  snapshot(): StatsSnapshot {
    const out = {} as Record<Channel, ChannelStats>;
    for (const [channel, c] of this.counters)
      out[channel] = { ...this.channelView(c), inFlight: this.open.get(channel)! };
    return { since: new Date(this.since).toISOString(), trackedIds: this.trackedIds, channels: out };
  }

  private channelView(c: ChannelCounter): ChannelStats {
    const view: ChannelStats = {
      requests: c.requests,
      inFlight: 0,
      accepted: c.accepted,
      rejected: { ...c.rejected },
      responsesLost: c.responsesLost,
      uniqueDeliveryIds: c.ids.size,
      duplicates: c.duplicates,
      duplicateIds: [...c.duplicateIds],
      withoutDeliveryId: c.withoutDeliveryId,
      untrackedIds: c.untrackedIds,
      firstAcceptedAt: iso(c.firstAcceptedAt),
      lastAcceptedAt: iso(c.lastAcceptedAt),
      acceptedPerSecond: perSecond(c.accepted, 1, c.firstAcceptedAt, c.lastAcceptedAt),
      outcomes: { ...c.outcomes },
      counts: { ...c.counts },
    };
    if (c.senders.size === 0 && c.segments === 0) return view;
    const senders: Record<string, SenderStats> = Object.fromEntries(
      [...c.senders].map(([sender, s]) => [
        sender,
        {
          accepted: s.accepted,
          segments: s.segments,
          firstAcceptedAt: iso(s.firstAt),
          lastAcceptedAt: iso(s.lastAt),
          segmentsPerSecond: perSecond(s.segments, s.firstSegments, s.firstAt, s.lastAt),
        },
      ]),
    );
    return { ...view, segments: c.segments, senders };
  }
}
