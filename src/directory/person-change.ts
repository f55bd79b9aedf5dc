import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';

type Change = (
  trx: Trx,
  before: NonNullable<Awaited<ReturnType<typeof lockPerson>>>,
) => Promise<{ before?: Record<string, unknown>; after?: Record<string, unknown> }>;

/** One change to a person (or their contacts) and its audit row, in one transaction. */
export async function changePerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: string,
  request: RequestMeta,
  change: Change,
) {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockPerson(trx, id);
    if (!before) throw notFound('Person');
    const { before: old, after } = await change(trx, before);
    await writeAudit(trx, {
      actor,
      action,
      target: { type: 'person', id },
      campusId: before.campus_id,
      before: old,
      after,
      request,
    });
  });
}

function lockPerson(trx: Trx, id: string) {
  return trx.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
