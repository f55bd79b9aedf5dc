import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import type { AlertTracking } from './alert-tracking.js';
import { sseComment, sseEvent } from './sse.js';
import { TrackingHub, type TrackingFrame, type TrackingSubscriber } from './tracking-hub.js';
import { zeroCounts } from './tracking-math.js';

const quiet = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wait for a condition (timers run late on a loaded machine; counting polls in a fixed sleep is flaky). */
async function until(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function tracking(status: string, total: number, done = total): AlertTracking {
  const counts = { ...zeroCounts(), delivered: done, queued: total - done };
  const progress = { counts, total, done, doneFraction: total ? done / total : 1, inOutbox: 0 };
  return {
    alert: {
      id: 'a',
      kind: 'test',
      status,
      hazard: 'test',
      templateVersion: 1,
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
    await until(() => a.seen.frames.length >= 3);
    expect(hub.pollerCount).toBe(1);
    // One poll per interval for both subscribers: the first, then one per frame.
    expect(polls).toBeLessThanOrEqual(a.seen.frames.length + 2);
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
    await until(() => r.seen.ticks >= 2);
    expect(r.seen.frames).toHaveLength(0);
    safe = 1;
    await until(() => r.seen.frames.length > 0);
    const ticks = r.seen.ticks;
    await until(() => r.seen.ticks >= ticks + 2);
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
    await until(() => r.seen.ended);
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
    await until(() => r.seen.frames.length > 0);
    fail = true;
    const frames = r.seen.frames.length;
    const ticks = r.seen.ticks;
    await until(() => r.seen.ticks >= ticks + 2);
    expect(r.seen.frames.length).toBeLessThanOrEqual(frames + 1);
    fail = false;
    await until(() => r.seen.frames.length > frames + 1);
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
