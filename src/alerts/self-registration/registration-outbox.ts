import { writeAudit } from '../../audit/write-audit.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { RegistrationChannel } from './self-registration.tables.js';

/**
 * Verification messages kept on the machine (no provider configured), newest first. They hold
 * codes and addresses, so reading them writes an audit row.
 */
export async function readRegistrationOutbox(
  ctx: AppContext,
  actor: Actor,
  filter: { channel?: RegistrationChannel; limit: number },
  request: RequestMeta,
) {
  return ctx.db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('registration_outbox as o')
      .innerJoin('registration_contacts as rc', 'rc.id', 'o.registration_contact_id')
      .select(['o.id', 'rc.registration_id', 'o.channel', 'o.address', 'o.subject', 'o.body', 'o.created_at'])
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id')
      .limit(filter.limit);
    if (filter.channel) query = query.where('o.channel', '=', filter.channel);
    const rows = await query.execute();
    await writeAudit(trx, {
      actor,
      action: 'registration.outbox.read',
      target: { type: 'registration_outbox', id: null },
      metadata: { channel: filter.channel ?? null, messages: rows.length },
      request,
    });
    return rows.map((m) => ({
      id: m.id,
      registrationId: m.registration_id,
      channel: m.channel,
      address: m.address,
      subject: m.subject,
      body: m.body,
      createdAt: m.created_at.toISOString(),
    }));
  });
}
