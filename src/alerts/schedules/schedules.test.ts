import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn, type TestOperator } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { templateIdsFor } from '../../../test/support/templates.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { systemActor } from '../../platform/actor.js';
import { ManualClock } from '../../platform/clock.js';
import { fireScheduleJob } from './fire-schedule.js';
import { wallTimeOf } from './recurrence.js';
import { sweepSchedules } from './schedules.jobs.js';
import type { ScheduleView } from './schedules.schema.js';

let sys: TestSystem;
const clock = new ManualClock(new Date());
let shelter: string;
const day = 86_400_000;

beforeAll(async () => {
  // Workers run the jobs; the test runs the sweep itself right after moving the clock.
  sys = await startTestSystem({ clock, work: true });
  await generateDemoCampus(sys.ctx, systemActor, { people: 60 });
  const admin = await signedIn();
  [shelter] = await templateIdsFor(sys, admin.headers, 'shelter_in_place');
}, 90_000);
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

/** An emergency manager with an email address, signed in at the clock's time. */
async function signedIn(op?: TestOperator) {
  const operator = op ?? (await makeOperator(sys.ctx, ['emergency_management']));
  await sys.ctx.db
    .updateTable('operators')
    .set({ email: `${operator.username}@example.edu` })
    .where('id', '=', operator.id)
    .execute();
  return { operator, ...(await signIn(sys.app!, operator, clock.now())) };
}

const sendRequest = () => ({
  templateId: shelter,
  kind: 'test',
  where: 'Building W20 (Student Center)',
  audience: { locationCodes: ['W20'] },
  audienceReason: 'Annual emergency-response test',
  channels: ['email', 'public_page'],
  announced: true,
  proceduresPublicised: true,
});

async function schedule(headers: Record<string, string>, body: object) {
  return sys.app!.inject({ method: 'POST', url: '/api/v1/alert-schedules', headers, payload: body });
}

const read = async (id: string, headers: Record<string, string>) =>
  (await sys.app!.inject({ url: `/api/v1/alert-schedules/${id}`, headers })).json() as ScheduleView;

const row = (id: string) =>
  sys.ctx.db.selectFrom('alert_schedules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const auditCount = async (action: string, targetId: string) =>
  Number(
    (
      await sys.ctx.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', action)
        .where('target_id', '=', targetId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('scheduled test alerts', () => {
  it('sends a scheduled test once at its time, writes the test register entry and schedules the next occurrence', async () => {
    const { operator, headers } = await signedIn();
    const firesAt = new Date(clock.now().getTime() + 2 * day);
    const created = await schedule(headers, {
      send: sendRequest(),
      firesAt: firesAt.toISOString(),
      recurrence: { everyMonths: 6, dayOfMonth: 10, time: '10:00' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json() as ScheduleView;
    expect(view).toMatchObject({ status: 'scheduled', kind: 'test', scheduledBy: operator.username });
    // 7 days before is already past: only the 1-day and 1-hour reminders remain.
    expect(view.notices.map((n) => n.minutesBefore)).toEqual([1440, 60]);
    expect(await auditCount('alert_schedule.create', view.id)).toBe(1);

    clock.advance(2 * day + 1000);
    // Two workers sweep at once, and a stray duplicate fire job is queued: it still sends once.
    await Promise.all([sweepSchedules(sys.ctx), sweepSchedules(sys.ctx)]);
    await sys.ctx.queue.enqueue(sys.ctx.db, fireScheduleJob, { scheduleId: view.id });
    const sent = await until(
      () => row(view.id),
      (r) => r.status === 'sent',
    );
    expect(sent.status).toBe('sent');
    await until(
      () => sys.ctx.queue.boss.getQueueSize(fireScheduleJob.name),
      (n) => n === 0,
    );
    await new Promise((r) => setTimeout(r, 500));

    const alerts = await sys.ctx.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', sent.alert_id!)
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'test', sent_by: operator.username, template_id: shelter });
    expect(await auditCount('alert_schedule.fire', view.id)).toBe(1);
    expect(await auditCount('alert.send', sent.alert_id!)).toBe(1);
    const register = await sys.ctx.db
      .selectFrom('emergency_tests')
      .selectAll()
      .where('alert_id', '=', sent.alert_id!)
      .execute();
    expect(register).toHaveLength(1);
    expect(register[0]).toMatchObject({ announced: true, publicised: true, recorded_by: operator.username });
    expect(register[0]!.tested_at.getTime()).toBe(alerts[0]!.initiated_at!.getTime());

    const next = await sys.ctx.db
      .selectFrom('alert_schedules')
      .selectAll()
      .where('previous_id', '=', view.id)
      .execute();
    expect(next).toHaveLength(1);
    expect(next[0]!.status).toBe('scheduled');
    const tz = sys.ctx.profile.institution.timezone;
    const before = wallTimeOf(firesAt, tz);
    // Six months on, on the 10th at 10:00 local time, whatever daylight saving does meanwhile.
    expect(wallTimeOf(next[0]!.fires_at, tz)).toMatchObject({
      month: ((before.month + 5) % 12) + 1,
      day: 10,
      hour: 10,
      minute: 0,
    });
    const later = await signedIn(operator); // the clock moved past the session's idle limit
    expect((await read(view.id, later.headers)).notices.every((n) => n.status === 'skipped')).toBe(true);
  }, 60_000);

  it('sends nothing when cancelled before its time', async () => {
    const { operator, headers } = await signedIn();
    const firesAt = new Date(clock.now().getTime() + 3_600_000);
    const created = await schedule(headers, {
      send: sendRequest(),
      firesAt: firesAt.toISOString(),
      recurrence: { everyMonths: 12 },
    });
    const { id, recurrence } = created.json() as ScheduleView;
    // A yearly recurrence without a day and time takes firesAt's, in the institution's time zone.
    const wall = wallTimeOf(firesAt, sys.ctx.profile.institution.timezone);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(recurrence).toEqual({
      everyMonths: 12,
      dayOfMonth: wall.day,
      time: `${pad(wall.hour)}:${pad(wall.minute)}`,
    });
    const cancel = await sys.app!.inject({ method: 'DELETE', url: `/api/v1/alert-schedules/${id}`, headers });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await auditCount('alert_schedule.cancel', id)).toBe(1);
    clock.advance(2 * 3_600_000);
    await sweepSchedules(sys.ctx);
    await fireScheduleJob.handle(sys.ctx, { scheduleId: id });
    expect(await row(id)).toMatchObject({ status: 'cancelled', alert_id: null, fire_queued_at: null });
    const again = await sys.app!.inject({
      method: 'DELETE',
      url: `/api/v1/alert-schedules/${id}`,
      headers: (await signedIn(operator)).headers,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/cancelled and can no longer be cancelled/);
  });

  it('refuses to schedule an emergency, an operations alert or a time in the past, saying why', async () => {
    const { headers } = await signedIn();
    const firesAt = new Date(clock.now().getTime() + day).toISOString();
    for (const kind of ['emergency', 'operations']) {
      const r = await schedule(headers, { send: { ...sendRequest(), kind }, firesAt });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/Only test and exercise alerts can be scheduled/);
    }
    const past = await schedule(headers, { send: sendRequest(), firesAt: clock.now().toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/firesAt must be at least 60 seconds in the future/);
    const viewer = await signIn(sys.app!, await makeOperator(sys.ctx, ['viewer']), clock.now());
    expect((await schedule(viewer.headers, { send: sendRequest(), firesAt })).statusCode).toBe(403);
    const token = await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test']);
    const byToken = await schedule({ authorization: `Bearer ${token}` }, { send: sendRequest(), firesAt });
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json().error.message).toMatch(/made by an operator signed in to the console/);
  });

  it('emails reminders at the profile’s offsets before it fires', async () => {
    const { operator, headers } = await signedIn();
    const firesAt = new Date(clock.now().getTime() + 8 * day);
    const { id, notices } = (
      await schedule(headers, { send: sendRequest(), firesAt: firesAt.toISOString() })
    ).json() as ScheduleView;
    expect(notices.map((n) => [n.minutesBefore, n.dueAt])).toEqual([
      [10_080, new Date(firesAt.getTime() - 7 * day).toISOString()],
      [1440, new Date(firesAt.getTime() - day).toISOString()],
      [60, new Date(firesAt.getTime() - 3_600_000).toISOString()],
    ]);
    clock.advance(day + 1000);
    expect((await sweepSchedules(sys.ctx)).notices).toBeGreaterThanOrEqual(1);
    const later = await signedIn(operator);
    const view = await until(
      () => read(id, later.headers),
      (v) => v.notices[0]!.status === 'kept',
    );
    const [week, dayBefore] = view.notices;
    // No email provider in the tests (the outbox default): the reminder is kept with its text.
    expect(week).toMatchObject({ status: 'kept', subject: expect.stringMatching(/in 7 days/) });
    expect(week!.body).toMatch(/Shelter in place/);
    expect(week!.recipients.map((r) => r.operator)).toContain(operator.username);
    expect(dayBefore!.status).toBe('pending');
    expect(await auditCount('alert_schedule.remind', id)).toBe(1);
    await sys.app!.inject({ method: 'DELETE', url: `/api/v1/alert-schedules/${id}`, headers: later.headers });
  });

  it('fails with the reason, and says so, when the operator who scheduled it lost the permission', async () => {
    const { operator, headers } = await signedIn();
    const { id } = (
      await schedule(headers, {
        send: sendRequest(),
        firesAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
        recurrence: { everyMonths: 12, dayOfMonth: 1, time: '09:00' },
      })
    ).json() as ScheduleView;
    await sys.ctx.db
      .updateTable('operator_roles')
      .set({ role: 'viewer' })
      .where('operator_id', '=', operator.id)
      .execute();
    const other = (await signedIn()).operator; // another sender, told of the failure
    clock.advance(2 * 3_600_000);
    await sweepSchedules(sys.ctx);
    const failed = await until(
      () => row(id),
      (r) => r.status === 'failed',
    );
    expect(failed.failure_reason).toMatch(
      `${operator.username}, who scheduled it, no longer holds alerts.send.test`,
    );
    expect(failed.alert_id).toBeNull();
    expect(await auditCount('alert_schedule.fail', id)).toBe(1);
    const reader = await signedIn(other);
    const view = await until(
      () => read(id, reader.headers),
      (v) => v.notices.some((n) => n.kind === 'failure' && n.status === 'kept'),
    );
    const notice = view.notices.find((n) => n.kind === 'failure')!;
    expect(notice.subject).toMatch(/NOT sent/);
    expect(notice.body).toMatch(/no later occurrence was scheduled/);
    expect(notice.recipients.map((r) => r.operator)).toContain(other.username);
    expect(
      await sys.ctx.db.selectFrom('alert_schedules').select('id').where('previous_id', '=', id).execute(),
    ).toEqual([]);
  });
});
