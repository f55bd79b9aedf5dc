import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import type { Recurrence } from './recurrence.js';
import {
  statusesBefore,
  type NoticeStatus,
  type SchedulableKind,
  type ScheduleStatus,
} from './schedules.policy.js';
import type { ScheduledRequest } from './schedules.schema.js';
import type { NoticeKind, NoticeRecipient } from './schedules.tables.js';

// A fire job or notice job queued this long ago for work still waiting lost its worker: queue again.
const requeueAfterMs = 10 * 60_000;

export interface NewSchedule {
  campusId: string;
  kind: SchedulableKind;
  request: ScheduledRequest;
  firesAt: Date;
  recurrence: Recurrence | null;
  scheduledBy: string;
  scheduledByLabel: string;
  previousId: string | null;
  reminders: Array<{ minutesBefore: number; dueAt: Date }>;
}

/** Insert a schedule and its reminders; returns its id. */
export async function insertSchedule(q: Queryable, s: NewSchedule): Promise<string> {
  const row = await q
    .insertInto('alert_schedules')
    .values({
      campus_id: s.campusId,
      kind: s.kind,
      request: JSON.stringify(s.request),
      fires_at: s.firesAt,
      recurrence: s.recurrence ? JSON.stringify(s.recurrence) : null,
      scheduled_by: s.scheduledBy,
      scheduled_by_label: s.scheduledByLabel,
      previous_id: s.previousId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (s.reminders.length > 0)
    await q
      .insertInto('alert_schedule_notices')
      .values(
        s.reminders.map((r) => ({
          schedule_id: row.id,
          kind: 'reminder' as const,
          minutes_before: r.minutesBefore,
          due_at: r.dueAt,
        })),
      )
      .execute();
  return row.id;
}

/** One schedule, or undefined. */
export function findSchedule(q: Queryable, id: string) {
  return q.selectFrom('alert_schedules').selectAll().where('id', '=', id).executeTakeFirst();
}
export type ScheduleRow = NonNullable<Awaited<ReturnType<typeof findSchedule>>>;

/** One schedule locked for this transaction if it is still `scheduled`; undefined otherwise. */
export function lockScheduled(q: Queryable, id: string) {
  return q
    .selectFrom('alert_schedules')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .forUpdate()
    .executeTakeFirst();
}

/** Schedules, the next to fire first and then the most recent; optionally of one status. */
export function listSchedules(q: Queryable, filter: { status?: ScheduleStatus; limit: number }) {
  let query = q
    .selectFrom('alert_schedules')
    .selectAll()
    .orderBy(sql`status = 'scheduled'`, 'desc')
    .orderBy(sql`case when status = 'scheduled' then fires_at end`, 'asc')
    .orderBy('fires_at', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

/** The notices of these schedules, in the order they were (or will be) sent. */
export async function noticesOf(q: Queryable, scheduleIds: string[]) {
  if (scheduleIds.length === 0) return [];
  return q
    .selectFrom('alert_schedule_notices')
    .selectAll()
    .where('schedule_id', 'in', scheduleIds)
    .orderBy('due_at')
    .orderBy('created_at')
    .execute();
}

/**
 * Compare-and-set a schedule's status: only from the statuses the lifecycle allows. Returns false
 * when the schedule had already moved on (stale: the caller logs and ignores).
 */
export async function moveSchedule(
  q: Queryable,
  id: string,
  to: ScheduleStatus,
  set: { alertId?: string; failureReason?: string; cancelledBy?: string; at: Date },
): Promise<boolean> {
  const result = await q
    .updateTable('alert_schedules')
    .set({
      status: to,
      alert_id: set.alertId,
      failure_reason: set.failureReason,
      cancelled_by: set.cancelledBy,
      finished_at: set.at,
      updated_at: set.at,
    })
    .where('id', '=', id)
    .where('status', '=', sql<ScheduleStatus>`any(${statusesBefore(to)})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Reminders of a schedule that will not be sent now (it was cancelled, fired or failed). */
export async function skipOpenReminders(q: Queryable, scheduleId: string, at: Date): Promise<number> {
  const result = await q
    .updateTable('alert_schedule_notices')
    .set({ status: 'skipped', finished_at: at })
    .where('schedule_id', '=', scheduleId)
    .where('kind', '=', 'reminder')
    .where('status', 'in', ['pending', 'queued'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Add a notice due now (a failure notice); returns its id. */
export async function insertNotice(
  q: Queryable,
  n: { scheduleId: string; kind: NoticeKind; dueAt: Date },
): Promise<string> {
  const row = await q
    .insertInto('alert_schedule_notices')
    .values({
      schedule_id: n.scheduleId,
      kind: n.kind,
      due_at: n.dueAt,
      status: 'queued',
      queued_at: n.dueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Mark due schedules as queued for firing (or queued again when the last job was lost), skipping
 * rows another worker holds; returns their ids for the caller to enqueue in the same transaction.
 */
export async function claimDueSchedules(q: Queryable, now: Date, limit: number): Promise<string[]> {
  const stale = new Date(now.getTime() - requeueAfterMs);
  const rows = await sql<{ id: string }>`
    update alert_schedules set fire_queued_at = ${now}, updated_at = ${now}
    where id in (select id from alert_schedules
                 where status = 'scheduled' and fires_at <= ${now}
                   and (fire_queued_at is null or fire_queued_at < ${stale})
                 order by fires_at limit ${limit} for update skip locked)
    returning id`.execute(q);
  return rows.rows.map((r) => r.id);
}

/**
 * The same for notices that are due: pending ones, and queued ones whose job was lost. A reminder
 * whose schedule is itself due is left for the fire to skip: a reminder is never sent late.
 */
export async function claimDueNotices(q: Queryable, now: Date, limit: number): Promise<string[]> {
  const stale = new Date(now.getTime() - requeueAfterMs);
  const rows = await sql<{ id: string }>`
    update alert_schedule_notices set status = 'queued', queued_at = ${now}
    where id in (select n.id from alert_schedule_notices n join alert_schedules s on s.id = n.schedule_id
                 where n.due_at <= ${now}
                   and (n.status = 'pending' or (n.status = 'queued' and n.queued_at < ${stale}))
                   and (n.kind <> 'reminder' or s.fires_at > ${now})
                 order by n.due_at limit ${limit} for update of n skip locked)
    returning id`.execute(q);
  return rows.rows.map((r) => r.id);
}

/** A queued notice locked for this transaction, with its schedule; undefined when already done. */
export function lockQueuedNotice(q: Queryable, id: string) {
  return q
    .selectFrom('alert_schedule_notices')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .forUpdate()
    .executeTakeFirst();
}
export type NoticeRow = NonNullable<Awaited<ReturnType<typeof lockQueuedNotice>>>;

/** Record what became of a queued notice. */
export async function finishNotice(
  q: Queryable,
  id: string,
  done: {
    status: Exclude<NoticeStatus, 'pending' | 'queued'>;
    subject?: string;
    body?: string;
    recipients?: NoticeRecipient[];
    at: Date;
  },
): Promise<void> {
  await q
    .updateTable('alert_schedule_notices')
    .set({
      status: done.status,
      subject: done.subject ?? null,
      body: done.body ?? null,
      recipients: JSON.stringify(done.recipients ?? []),
      finished_at: done.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** Template names by id (archived ones too: a schedule may outlive its template). */
export async function templateNames(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.selectFrom('alert_templates').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
