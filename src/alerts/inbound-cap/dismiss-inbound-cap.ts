import { writeAudit } from '../../audit/write-audit.js';
import type { Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { inboundCapConflict, lockForChange } from './inbound-cap-changes.js';
import { moveInboundCap } from './inbound-cap.queries.js';
import { canTransition } from './inbound-cap-status.policy.js';

/** Dismiss a pending inbound CAP message with the operator's reason; audited in the same transaction. */
export async function dismissInboundCap(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { reason: string; request: RequestMeta },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, id);
    if (!canTransition(row.status, 'dismissed')) throw inboundCapConflict(row, 'dismissed');
    const reason = input.reason.trim();
    if (!reason) throw invalid('Say why the message is dismissed (reason).', { field: 'reason' });
    const moved = await moveInboundCap(trx, id, 'dismissed', {
      dismiss_reason: reason,
      handled_by: principal.actor.label ?? principal.actor.type,
      handled_at: ctx.clock.now(),
    });
    if (!moved) throw inboundCapConflict(row, 'dismissed');
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'inbound_cap.dismiss',
      target: { type: 'inbound_cap', id },
      campusId: row.campus_id,
      before: { status: row.status },
      after: { status: 'dismissed', reason },
      request: input.request,
    });
  });
}
