import { z } from 'zod';
import { writeAudit } from '../../audit/write-audit.js';
import { findOperatorById } from '../../identity/operators.queries.js';
import { systemActor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { isAppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/queue/job.js';
import { loadTemplateVersion } from '../templates.js';
import { emailNotice } from './notice-email.js';
import { failureText, reminderText, type NoticeContext } from './notice-text.js';
import { checkScheduler, operatorsWhoMaySend, sendPermissionOf } from './scheduler.js';
import type { NoticeRecipient } from './schedules.tables.js';
import {
  findSchedule,
  finishNotice,
  lockQueuedNotice,
  type NoticeRow,
  type ScheduleRow,
} from './schedules.queries.js';

/**
 * Send one queued notice about a schedule: a reminder before it fires (skipped when the schedule
 * is no longer scheduled), or the notice that it failed. It goes by email to the operators who may
 * send the kind, and to the operator who scheduled it; the text, who got it and the outcome are
 * stored with the notice, and an audit row records it. A retry after a provider outage may repeat
 * the email to someone who already had it: reminders are at least once, never lost.
 */
async function sendScheduleNotice(ctx: AppContext, noticeId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const notice = await lockQueuedNotice(trx, noticeId);
    if (!notice) return;
    const schedule = (await findSchedule(trx, notice.schedule_id))!;
    const now = ctx.clock.now();
    const late = schedule.fires_at.getTime() <= now.getTime();
    if (notice.kind === 'reminder' && (schedule.status !== 'scheduled' || late)) {
      await finishNotice(trx, notice.id, { status: 'skipped', at: now });
      return;
    }
    const context = await noticeContext(ctx, trx, schedule);
    const { subject, text } =
      notice.kind === 'reminder' ? reminderText(context, notice.minutes_before!) : failureText(context);
    const to = await recipients(ctx, trx, schedule);
    const outcomes = await emailNotice(ctx, { scheduleId: schedule.id, noticeId, subject, text }, to);
    const status = noticeStatus(outcomes);
    await finishNotice(trx, notice.id, { status, subject, body: text, recipients: outcomes, at: now });
    await audit(
      trx,
      schedule,
      notice,
      status,
      outcomes.map((o) => o.operator),
    );
  });
}

/** Sent when anyone got it; refused when every provider refused it; otherwise kept on the machine. */
function noticeStatus(outcomes: NoticeRecipient[]): 'sent' | 'refused' | 'kept' {
  if (outcomes.some((o) => o.outcome === 'sent')) return 'sent';
  if (outcomes.length > 0 && outcomes.every((o) => o.outcome === 'refused')) return 'refused';
  return 'kept';
}

async function noticeContext(ctx: AppContext, trx: Trx, schedule: ScheduleRow): Promise<NoticeContext> {
  const scheduler = await checkScheduler(trx, ctx.profile, schedule.scheduled_by, schedule.kind);
  return {
    schedule,
    templateName: await templateName(ctx, schedule.request.templateId),
    timeZone: ctx.profile.institution.timezone,
    consoleUrl: `${ctx.config.publicUrl}/console/schedules`,
    schedulerProblem: scheduler.ok ? null : scheduler.reason,
  };
}

async function templateName(ctx: AppContext, templateId: string): Promise<string> {
  try {
    return (await loadTemplateVersion(ctx.db, templateId)).name;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return 'a template that no longer exists';
    throw error;
  }
}

/** The operators who may send the kind, and the operator who scheduled it (if still active). */
async function recipients(ctx: AppContext, trx: Trx, schedule: ScheduleRow) {
  const senders = await operatorsWhoMaySend(trx, ctx.profile, sendPermissionOf(schedule.kind));
  const scheduler = await findOperatorById(trx, schedule.scheduled_by);
  if (scheduler?.email && !scheduler.disabled_at && !senders.some((s) => s.id === scheduler.id))
    senders.unshift({ id: scheduler.id, username: scheduler.username, email: scheduler.email });
  return senders;
}

async function audit(trx: Trx, schedule: ScheduleRow, notice: NoticeRow, status: string, to: string[]) {
  await writeAudit(trx, {
    actor: systemActor,
    action: notice.kind === 'reminder' ? 'alert_schedule.remind' : 'alert_schedule.notify_failure',
    target: { type: 'alert_schedule', id: schedule.id },
    campusId: schedule.campus_id,
    metadata: { noticeId: notice.id, minutesBefore: notice.minutes_before, status, to },
  });
}

/** Send one schedule notice (queued by the schedule sweep, or by a failed fire). */
export const scheduleNoticeJob = defineJob({
  name: 'alert.schedule.notice',
  payload: z.object({ noticeId: z.string().uuid() }).strict(),
  retry: { limit: 5, delaySeconds: 30, backoff: true },
  expireInSeconds: 300,
  async handle(ctx, { noticeId }) {
    await sendScheduleNotice(ctx, noticeId);
  },
});
