import type { AppContext } from '../../platform/context.js';
import { defineLoop } from '../../platform/queue/loop.js';
import { priorityOf } from '../priorities.js';
import { fireScheduleJob } from './fire-schedule.js';
import { scheduleNoticeJob } from './send-schedule-notice.js';
import { claimDueNotices, claimDueSchedules } from './schedules.queries.js';

export { fireScheduleJob } from './fire-schedule.js';
export { scheduleNoticeJob } from './send-schedule-notice.js';

const batch = 50;

/**
 * Queue the work that has come due: each schedule whose time has come gets a fire job, each due
 * reminder a notice job, marked in the same transaction so one sweep queues it once (a job lost
 * with its worker is queued again after ten minutes). The rows in PostgreSQL are the calendar, not
 * pg-boss's delayed jobs: a schedule a year ahead survives restarts, upgrades and the queue's own
 * retention, and a cancelled one simply stops being due.
 */
export async function sweepSchedules(ctx: AppContext): Promise<{ fired: number; notices: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await claimDueSchedules(trx, now, batch);
    for (const scheduleId of due)
      await ctx.queue.enqueue(trx, fireScheduleJob, { scheduleId }, { priority: priorityOf.test });
    const notices = await claimDueNotices(trx, now, batch);
    for (const noticeId of notices) await ctx.queue.enqueue(trx, scheduleNoticeJob, { noticeId });
    return { fired: due.length, notices: notices.length };
  });
}

/** Every five seconds, in every worker: the schedule sweep (a send fires within seconds of its time). */
export const scheduleSweepLoop = defineLoop({
  name: 'alert.schedule.sweep',
  everyMs: () => 5_000,
  async run(ctx) {
    await sweepSchedules(ctx);
  },
});
