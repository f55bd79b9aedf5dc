import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import { deleteOperatorSessions } from './sessions.js';

/**
 * Sign an operator out everywhere (a lost laptop, a shared browser): every open session of theirs
 * ends at once; the account itself is unchanged, so they can sign in again. Audited with the count.
 */
export async function endOperatorSessions(
  ctx: AppContext,
  actor: Actor,
  operatorId: string,
  request: RequestMeta,
): Promise<{ ended: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const operator = await trx
      .selectFrom('operators')
      .select('id')
      .where('id', '=', operatorId)
      .forUpdate()
      .executeTakeFirst();
    if (!operator) throw notFound('Operator');
    const ended = await deleteOperatorSessions(trx, operatorId);
    await writeAudit(trx, {
      actor,
      action: 'operator.sessions_end',
      target: { type: 'operator', id: operatorId },
      metadata: { ended },
      request,
    });
    return { ended };
  });
}
