import type { Queryable } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { localTimeInWords } from './notice-text.js';
import type { ScheduleStatus } from './schedules.policy.js';
import {
  findSchedule,
  listSchedules,
  noticesOf,
  templateNames,
  type ScheduleRow,
} from './schedules.queries.js';
import type { ScheduleView } from './schedules.schema.js';

type NoticeRows = Awaited<ReturnType<typeof noticesOf>>;

function viewOf(
  row: ScheduleRow,
  notices: NoticeRows,
  names: Map<string, string>,
  timeZone: string,
): ScheduleView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    firesAt: row.fires_at.toISOString(),
    firesAtLocal: localTimeInWords(row.fires_at, timeZone),
    timeZone,
    recurrence: row.recurrence,
    templateName: names.get(row.request.templateId) ?? 'a template that no longer exists',
    send: row.request,
    scheduledBy: row.scheduled_by_label,
    previousId: row.previous_id,
    alertId: row.alert_id,
    failureReason: row.failure_reason,
    cancelledBy: row.cancelled_by,
    finishedAt: row.finished_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    notices: notices
      .filter((n) => n.schedule_id === row.id)
      .map((n) => ({
        kind: n.kind,
        minutesBefore: n.minutes_before,
        dueAt: n.due_at.toISOString(),
        status: n.status,
        subject: n.subject,
        body: n.body,
        recipients: n.recipients ?? [],
      })),
  };
}

async function viewsOf(q: Queryable, rows: ScheduleRow[], timeZone: string): Promise<ScheduleView[]> {
  const notices = await noticesOf(
    q,
    rows.map((r) => r.id),
  );
  const names = await templateNames(q, [...new Set(rows.map((r) => r.request.templateId))]);
  return rows.map((row) => viewOf(row, notices, names, timeZone));
}

/** Schedules as the API lists them: those still to fire first, soonest first, then the rest. */
export async function scheduleList(
  q: Queryable,
  timeZone: string,
  filter: { status?: ScheduleStatus; limit: number },
): Promise<ScheduleView[]> {
  return viewsOf(q, await listSchedules(q, filter), timeZone);
}

/** One schedule with its reminders and notices. */
export async function scheduleDetail(q: Queryable, timeZone: string, id: string): Promise<ScheduleView> {
  const row = await findSchedule(q, id);
  if (!row) throw notFound('Schedule');
  return (await viewsOf(q, [row], timeZone))[0]!;
}
