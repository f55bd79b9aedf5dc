import { writeAudit } from '../../audit/write-audit.js';
import type { Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { requireSendPermission } from '../send-alert.js';
import { canTransition } from './schedules.policy.js';
import { findSchedule, moveSchedule, skipOpenReminders } from './schedules.queries.js';

/**
 * Cancel a schedule before it fires: nothing is sent, its reminders are not sent, and a recurring
 * schedule stops (its next occurrence is only made when this one fires). Needs the kind's send
 * permission, like scheduling it. A schedule that already fired, failed or was cancelled is a conflict.
 */
export async function cancelSchedule(
  ctx: AppContext,
  principal: Principal,
  id: string,
  request: RequestMeta,
): Promise<void> {
  const schedule = await findSchedule(ctx.db, id);
  if (!schedule) throw notFound('Schedule');
  requireSendPermission(principal, schedule.kind);
  const refused = () =>
    new AppError(
      'invalid_transition',
      `This schedule is ${schedule.status} and can no longer be cancelled (only a scheduled send can).`,
      { status: schedule.status },
    );
  if (!canTransition(schedule.status, 'cancelled')) throw refused();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await moveSchedule(trx, id, 'cancelled', {
      cancelledBy: principal.actor.label ?? principal.actor.type,
      at: now,
    });
    // It fired (or failed) between the read and now: too late to cancel.
    if (!moved) throw refused();
    const reminders = await skipOpenReminders(trx, id, now);
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'alert_schedule.cancel',
      target: { type: 'alert_schedule', id },
      campusId: schedule.campus_id,
      before: { status: schedule.status, firesAt: schedule.fires_at.toISOString() },
      after: { status: 'cancelled' },
      metadata: { remindersSkipped: reminders },
      request,
    });
  });
}
