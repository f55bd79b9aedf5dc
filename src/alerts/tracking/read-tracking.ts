import { writeAudit } from '../../audit/write-audit.js';
import type { Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { alertTracking, withoutNeedHelpList, type AlertTracking } from './alert-tracking.js';
import { mayReadNeedHelpList } from './tracking.policy.js';

/**
 * An alert's tracking for one caller: without the need-help list unless they may read people, and
 * with an audit row whenever the list they get names anyone (a sensitive read).
 */
export async function readTracking(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  request: RequestMeta,
): Promise<AlertTracking> {
  const tracking = await alertTracking(ctx.db, alertId, ctx.profile.alerts.channels);
  if (!mayReadNeedHelpList(principal)) return withoutNeedHelpList(tracking);
  const listed = tracking.acknowledgements.needHelpList?.length ?? 0;
  if (listed > 0)
    await auditNeedHelpRead(ctx, principal, alertId, request, {
      via: 'tracking',
      needHelp: tracking.acknowledgements.needHelp,
      listed,
    });
  return tracking;
}

/** The audit row of a need-help list read (one per JSON read, one per stream opened). */
export async function auditNeedHelpRead(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  request: RequestMeta,
  metadata: Record<string, unknown>,
): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: principal.actor,
      // The same action as GET …/acknowledgements: one kind of read, whichever route served it.
      action: 'alert.acknowledgements.read',
      target: { type: 'alert', id: alertId },
      metadata,
      request,
    }),
  );
}
