import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import type { AlertTracking } from './alert-tracking.js';
import { sseComment, sseEvent } from './sse.js';
import { TrackingHub, type TrackingFrame, type TrackingSubscriber } from './tracking-hub.js';
import { zeroCounts } from './tracking-math.js';

const quiet = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tracking(status: string, total: number, done = total): AlertTracking {
  const counts = { ...zeroCounts(), delivered: done, queued: total - done };
  const progress = { counts, total, done, doneFraction: total ? done / total : 1 };
  return {
    alert: {
      id: 'a',
      kind: 'test',
      status,
      hazard: 'test',
      channels: ['sms'],
      acknowledgementRequested: false,
      createdAt: '2026-11-21T00:00:00.000Z',
      initiatedAt: null,
      closedAt: null,
    },
    generatedAt: new Date().toISOString(),
    totals: { ...progress, throughput: { last5s: 0, overall: null } },
    messages: [],
    providers: [],
    failures: [],
    acknowledgements: {
      requested: false,
      recipients: null,
      safe: 0,
      needHelp: 0,
      noResponse: null,
      needHelpList: [],
      needHelpListTruncated: false,
    },
  };
}

function recorder() {
  const seen = { frames: [] as TrackingFrame[], ticks: 0, ended: false };
  const subscriber: TrackingSubscriber = {
    frame: (f) => seen.frames.push(f),
    tick: () => (seen.ticks += 1),
    end: () => (seen.ended = true),
  };
  return { seen, subscriber };
}

describe('TrackingHub', () => {
  it('polls once per interval for all subscribers of an alert and stops with the last one', async () => {
    let polls = 0;
    const hub = new TrackingHub(
      async () => {
        polls += 1;
        return tracking('sending', 10, Math.min(10, polls));
      },
      quiet,
      { fastMs: 50, slowMs: 1000 },
    );
    const a = recorder();
    const b = recorder();
    const first = await hub.subscribe('a', a.subscriber);
    const second = await hub.subscribe('a', b.subscriber);
    expect(second.frame).toBe(first.frame);
    await sleep(180);
    expect(hub.pollerCount).toBe(1);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(6);
    expect(a.seen.frames.map((f) => f.tracking.totals.done)).toEqual(
      b.seen.frames.map((f) => f.tracking.totals.done),
    );
    first.unsubscribe();
    expect(hub.pollerCount).toBe(1);
    second.unsubscribe();
    expect(hub.pollerCount).toBe(0);
    const after = polls;
    await sleep(120);
    expect(polls).toBe(after);
  });

  it('after sending, passes on only frames that changed but ticks every poll', async () => {
    let safe = 0;
    const hub = new TrackingHub(
      async () => {
        const t = tracking('sent', 5);
        t.acknowledgements.safe = safe;
        return t;
      },
      quiet,
      { fastMs: 20, slowMs: 30 },
    );
    const r = recorder();
    const sub = await hub.subscribe('a', r.subscriber);
    await sleep(100);
    expect(r.seen.frames).toHaveLength(0);
    expect(r.seen.ticks).toBeGreaterThanOrEqual(2);
    safe = 1;
    await sleep(80);
    expect(r.seen.frames).toHaveLength(1);
    expect(r.seen.frames[0]!.full.id).not.toBe(sub.frame.full.id);
    sub.unsubscribe();
  });

  it('sends the closing frame, ends its streams and stops', async () => {
    let status = 'sent';
    const hub = new TrackingHub(async () => tracking(status, 1), quiet, { fastMs: 20, slowMs: 20 });
    const r = recorder();
    await hub.subscribe('a', r.subscriber);
    status = 'closed';
    await sleep(80);
    expect(r.seen.frames.at(-1)!.final).toBe(true);
    expect(r.seen.ended).toBe(true);
    expect(hub.pollerCount).toBe(0);
  });

  it('rejects an unknown alert without leaving a poller, and keeps going through a failed poll', async () => {
    let fail = false;
    const hub = new TrackingHub(
      async (id) => {
        if (id === 'missing') throw new AppError('not_found', 'Alert was not found.');
        if (fail) throw new Error('connection reset');
        return tracking('sending', 1, 0);
      },
      quiet,
      { fastMs: 20, slowMs: 20 },
    );
    await expect(hub.subscribe('missing', recorder().subscriber)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(hub.pollerCount).toBe(0);
    const r = recorder();
    const sub = await hub.subscribe('a', r.subscriber);
    fail = true;
    await sleep(60);
    const ticks = r.seen.ticks;
    expect(ticks).toBeGreaterThan(0);
    fail = false;
    await sleep(60);
    expect(r.seen.frames.length).toBeGreaterThan(0);
    sub.unsubscribe();
  });

  it('ends every stream on close', async () => {
    const hub = new TrackingHub(async () => tracking('sending', 1, 0), quiet, { fastMs: 20 });
    const r = recorder();
    await hub.subscribe('a', r.subscriber);
    hub.close();
    expect(r.seen.ended).toBe(true);
    expect(hub.pollerCount).toBe(0);
    await expect(hub.subscribe('a', recorder().subscriber)).rejects.toThrow(/closed/);
  });
});

describe('server-sent events', () => {
  it('writes id, event, retry and data lines and comments', () => {
    expect(sseEvent({ id: 'x1', event: 'tracking', data: '{"a":1}', retryMs: 3000 })).toBe(
      'retry: 3000\nid: x1\nevent: tracking\ndata: {"a":1}\n\n',
    );
    expect(sseComment('keep\nalive')).toBe(': keep alive\n\n');
  });
});
