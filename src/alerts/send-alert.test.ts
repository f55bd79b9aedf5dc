import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { systemActor, noRequest } from '../platform/actor.js';
import { generateDemoCampus } from '../directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../identity/principal.js';
import { sendAlert } from './send-alert.js';
import { estimateReach } from './audience.js';
import { listTemplates } from './templates.js';
import { defaultCampusId } from '../directory/sync/sync.queries.js';
import { fullAccessPrincipal } from '../../test/support/principals.js';

let sys: TestSystem;
let sender: TokenPrincipal;
let shelter: string;
beforeAll(async () => {
  sys = await startTestSystem({
    work: true,
    serve: false,
    env: { TOCSIN_LOG_LEVEL: process.env.DBG ? 'warn' : 'silent' },
  });
  await generateDemoCampus(sys.ctx, systemActor, { people: 300 });
  sender = fullAccessPrincipal('test sender');
  shelter = (await listTemplates(sys.ctx.db)).find((t) => t.name === 'Shelter in place')!.id;
}, 60_000);
afterAll(async () => {
  await sys.close();
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sending an alert', () => {
  it('sends a shelter-in-place test for building W20 through fan-out to the outbox', async () => {
    const campusId = await defaultCampusId(sys.ctx.db, 'cambridge');
    const reach = await estimateReach(sys.ctx.db, campusId, { locationCodes: ['W20'] }, ['sms', 'email'], 0);
    expect(reach.people).toBeGreaterThan(0);
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: shelter,
      kind: 'test',
      where: 'Building W20 (Student Center)',
      audience: { locationCodes: ['W20'] },
      audienceReason: 'Drill for the Student Center',
      channels: ['public_page', 'email', 'sms'],
      record: {},
      request: noRequest,
    });
    const alert = await until(
      () => sys.ctx.db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow(),
      (a) => a.status === 'sent',
    );
    expect(alert.status).toBe('sent');
    // Kept in the campus's channel order (the profile's), whatever order they were asked in.
    expect(alert.channels).toEqual(['sms', 'email', 'public_page']);
    const counts = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['channel', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('alert_id', '=', alertId)
      .groupBy(['channel', 'status'])
      .execute();
    const delivered = (ch: string) =>
      Number(counts.find((c) => c.channel === ch && c.status === 'delivered')?.n ?? 0);
    expect(delivered('email')).toBe(reach.addresses.email);
    expect(delivered('sms')).toBe(reach.addresses.sms);
    expect(delivered('public_page')).toBe(1);
    const outbox = await sys.ctx.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('channel', '=', 'sms')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(outbox.body).toMatch(
      /^MIT Alert: TEST - Shelter in place\. Where: Building W20 \(Student Center\)\.? Go indoors now.* Reply STOP to opt out\.$/,
    );
    const register = await sys.ctx.db
      .selectFrom('emergency_tests')
      .selectAll()
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(register).toMatchObject({ announced: true });
  });

  it('suppresses opted-out addresses with the reason', async () => {
    const optedOut = await sys.ctx.db
      .selectFrom('contacts')
      .innerJoin('people', 'people.id', 'contacts.person_id')
      .select('contacts.id')
      .where('contacts.opted_out_at', 'is not', null)
      .where('contacts.channel', '=', 'sms')
      .where('people.status', '=', 'active')
      .execute();
    expect(optedOut.length).toBeGreaterThan(0);
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: shelter,
      kind: 'test',
      where: 'Campus-wide',
      audience: { everyone: true },
      audienceReason: 'Campus-wide drill',
      channels: ['sms'],
      record: {},
      request: noRequest,
    });
    await until(
      () =>
        sys.ctx.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow(),
      (a) => a.status === 'sent',
    );
    const suppressed = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['suppression_reason'])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'suppressed')
      .execute();
    expect(suppressed.length).toBe(optedOut.length);
    for (const s of suppressed) expect(s.suppression_reason).toMatch(/^opted_out/);
  });

  it('refuses a late emergency without a reason from the list, and a sender without the permission', async () => {
    const late = new Date(Date.now() - 40 * 60_000);
    await expect(
      sendAlert(sys.ctx, sender, {
        templateId: shelter,
        kind: 'emergency',
        where: 'W20',
        audience: { locationCodes: ['W20'] },
        audienceReason: 'Threat near the Student Center',
        channels: ['sms'],
        record: { confirmedBy: 'Sgt. Rivera', confirmationSource: 'officer on scene', confirmedAt: late },
        request: noRequest,
      }),
    ).rejects.toThrow(/delayReason: more than 15 minutes passed/);
    const viewer: TokenPrincipal = { ...sender, permissions: new Set(['alerts.read']) };
    await expect(
      sendAlert(sys.ctx, viewer, {
        templateId: shelter,
        kind: 'test',
        where: 'W20',
        audience: { everyone: true },
        audienceReason: 'x',
        channels: ['sms'],
        record: {},
        request: noRequest,
      }),
    ).rejects.toThrow(/may not send test alerts/);
  });
});
