import { z } from 'zod';
import { writeAudit } from '../../audit/write-audit.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { isAppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/queue/job.js';
import { sendAlert } from '../send-alert.js';
import { nextOccurrence } from './recurrence.js';
import { scheduleNoticeJob } from './send-schedule-notice.js';
import { checkScheduler } from './scheduler.js';
import { remindersFor } from './schedules.policy.js';
import {
  insertNotice,
  insertSchedule,
  lockScheduled,
  moveSchedule,
  skipOpenReminders,
  type ScheduleRow,
} from './schedules.queries.js';

/** A reason the schedule cannot be sent, now or on any retry. */
class ScheduleRefused extends Error {
  override name = 'ScheduleRefused';
}

// Refusals of the send path that no retry changes (the template was archived, the audience's
// buildings no longer exist, …); anything else (the database, the queue) is retried by pg-boss.
const permanentCodes = new Set(['validation', 'forbidden', 'not_found']);

type FireOutcome = 'sent' | 'failed' | 'skipped';

/**
 * Send a due schedule exactly once: lock it while it is still `scheduled` (a second worker or a
 * retry waits, then finds it sent and skips), check that the operator who scheduled it may still
 * send the kind, send through sendAlert in the same transaction (the alert, its audit row, its
 * fan-out job and the emergency-test register entry), mark it sent and make the next occurrence
 * of a recurring schedule. When it cannot be sent, it fails with the reason and a notice goes out.
 */
async function fireSchedule(ctx: AppContext, id: string): Promise<FireOutcome> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const schedule = await lockScheduled(trx, id);
      const now = ctx.clock.now();
      if (!schedule || schedule.fires_at.getTime() > now.getTime()) return 'skipped';
      await sendNow(ctx, trx, schedule, now);
      return 'sent';
    });
  } catch (error) {
    const reason =
      error instanceof ScheduleRefused
        ? error.message
        : isAppError(error) && permanentCodes.has(error.code)
          ? `the send was refused: ${error.message}`
          : null;
    if (reason === null) throw error;
    return (await failSchedule(ctx, id, reason)) ? 'failed' : 'skipped';
  }
}

async function sendNow(ctx: AppContext, trx: Trx, schedule: ScheduleRow, now: Date): Promise<void> {
  const scheduler = await checkScheduler(trx, ctx.profile, schedule.scheduled_by, schedule.kind);
  if (!scheduler.ok) throw new ScheduleRefused(scheduler.reason);
  const { proceduresPublicised, ...send } = schedule.request;
  const { alertId } = await sendAlert(ctx, scheduler.principal, {
    ...send,
    record: {},
    request: noRequest,
    trx,
  });
  if (proceduresPublicised)
    await trx
      .updateTable('emergency_tests')
      .set({ publicised: true })
      .where('alert_id', '=', alertId)
      .execute();
  await moveSchedule(trx, schedule.id, 'sent', { alertId, at: now });
  await skipOpenReminders(trx, schedule.id, now);
  const nextId = schedule.recurrence ? await scheduleNext(ctx, trx, schedule, now) : null;
  await writeAudit(trx, {
    actor: systemActor,
    action: 'alert_schedule.fire',
    target: { type: 'alert_schedule', id: schedule.id },
    campusId: schedule.campus_id,
    before: { status: 'scheduled' },
    after: { status: 'sent', alertId, nextScheduleId: nextId },
    metadata: { scheduledBy: schedule.scheduled_by_label, firesAt: schedule.fires_at.toISOString() },
  });
}

/** The next occurrence of a recurring schedule, with its reminders; made once (previous_id is unique). */
async function scheduleNext(ctx: AppContext, trx: Trx, schedule: ScheduleRow, now: Date): Promise<string> {
  const firesAt = nextOccurrence(
    schedule.recurrence!,
    schedule.fires_at,
    now,
    ctx.profile.institution.timezone,
  );
  return insertSchedule(trx, {
    campusId: schedule.campus_id,
    kind: schedule.kind,
    request: schedule.request,
    firesAt,
    recurrence: schedule.recurrence,
    scheduledBy: schedule.scheduled_by,
    scheduledByLabel: schedule.scheduled_by_label,
    previousId: schedule.id,
    reminders: remindersFor(ctx.profile.alerts.schedules.reminderOffsets, firesAt, now),
  });
}

/**
 * Fail a schedule with its reason: its reminders stop, a recurring one makes no next occurrence
 * (it would fail the same way), and a failure notice is queued to the operators who may send.
 */
async function failSchedule(ctx: AppContext, id: string, reason: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const schedule = await lockScheduled(trx, id);
    if (!schedule) return false;
    await moveSchedule(trx, id, 'failed', { failureReason: reason, at: now });
    await skipOpenReminders(trx, id, now);
    const noticeId = await insertNotice(trx, { scheduleId: id, kind: 'failure', dueAt: now });
    await ctx.queue.enqueue(trx, scheduleNoticeJob, { noticeId });
    await writeAudit(trx, {
      actor: systemActor,
      action: 'alert_schedule.fail',
      target: { type: 'alert_schedule', id },
      campusId: schedule.campus_id,
      outcome: 'failure',
      before: { status: 'scheduled' },
      after: { status: 'failed', reason },
      metadata: { scheduledBy: schedule.scheduled_by_label, firesAt: schedule.fires_at.toISOString() },
    });
    ctx.log.warn({ scheduleId: id, reason }, 'scheduled send failed');
    return true;
  });
}

/** Send one due schedule (queued by the schedule sweep); safe to run twice. */
export const fireScheduleJob = defineJob({
  name: 'alert.schedule.fire',
  payload: z.object({ scheduleId: z.string().uuid() }).strict(),
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  expireInSeconds: 120,
  async handle(ctx, { scheduleId }) {
    const outcome = await fireSchedule(ctx, scheduleId);
    ctx.log.info({ scheduleId, outcome }, 'scheduled send');
  },
});
