import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { systemActor } from '../../platform/actor.js';
import { EventStreamClient } from './event-stream-client.js';
import { trackingHubFor } from './tracking-hubs.js';
import { trackingTable } from './tracking-table.js';
import type { AlertTracking } from './tracking.schema.js';
import { sendTrackedTestAlert } from './tracking.test-support.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ serve: true, work: true });
  await generateDemoCampus(sys.ctx, systemActor, { people: 60 });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

it('follows a test alert to a demo campus through the outbox until every channel is done', async () => {
  const token = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  const { alertId } = await sendTrackedTestAlert(sys.ctx, { channels: ['sms', 'email', 'voice'] });
  const stream = await EventStreamClient.open(`${sys.url}/api/v1/alerts/${alertId}/tracking/stream`, token);
  const finished = await stream.next(
    (e) => {
      if (e.event !== 'tracking') return false;
      const t = JSON.parse(e.data) as AlertTracking;
      const channels = t.messages.flatMap((m) => m.channels);
      return (
        t.alert.status === 'sent' && channels.length === 3 && channels.every((c) => c.doneFraction === 1)
      );
    },
    { timeoutMs: 45_000 },
  );
  const tracking = JSON.parse(finished.data) as AlertTracking;
  const updates = stream.events.filter((e) => e.event === 'tracking');
  expect(updates.length).toBeGreaterThan(1);
  const channels = tracking.messages[0]!.channels;
  expect(channels.map((c) => c.channel).sort()).toEqual(['email', 'sms', 'voice']);
  for (const c of channels) {
    expect(c.total).toBeGreaterThan(0);
    expect(c.counts.delivered + c.counts.suppressed + c.counts.sent).toBe(c.total);
    // Only the outbox here: everything it "delivered" it stored, and none of it counts as delivered.
    expect(c.inOutbox).toBe(c.counts.delivered);
    expect(c.latencyMs.delivered).toBeNull();
  }
  expect(tracking.providers.filter((p) => p.provider !== null).map((p) => p.provider)).toEqual(
    expect.arrayContaining(['outbox']),
  );
  expect(tracking.totals.done).toBe(tracking.totals.total);
  const table = trackingTable(tracking).join('\n');
  expect(table).toMatch(/^test alert \S+: sent \(test, template v1\)/);
  // channel, total, done, waiting, sent, delivered (0: the outbox delivers to no network), outbox, failed.
  expect(table).toMatch(/\n {2}sms +\d+ +100% +0 +0 +0 +[1-9]\d* +0 +\d+/);
  stream.close();
  const deadline = Date.now() + 3000;
  while (trackingHubFor(sys.ctx).pollerCount > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  expect(trackingHubFor(sys.ctx).pollerCount).toBe(0);
}, 60_000);
