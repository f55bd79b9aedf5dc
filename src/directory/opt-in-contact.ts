import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { optInRefusal } from './contact-opt-in.policy.js';
import { listContacts, type ContactRow } from './people.queries.js';
import { changePerson } from './person-change.js';

/**
 * Send to an opted-out contact again, recording why (the audit row keeps the old opt-out reason and
 * the new one). Opt-outs the person made themselves (STOP, unsubscribe) are refused: only they undo those.
 */
export async function optInContact(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  contactId: string,
  reason: string,
  request: RequestMeta,
): Promise<ContactRow> {
  await changePerson(ctx, actor, personId, 'contact.opt_in', request, async (trx) => {
    const contact = (await listContacts(trx, personId)).find((c) => c.id === contactId);
    if (!contact) throw notFound('Contact');
    const refusal = optInRefusal(contact);
    if (refusal) throw new AppError('invalid_transition', refusal, { optOutReason: contact.opt_out_reason });
    const updated = await trx
      .updateTable('contacts')
      .set({ opted_out_at: null, opt_out_reason: null, updated_at: new Date() })
      .where('id', '=', contactId)
      .where('opted_out_at', 'is not', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new AppError('invalid_transition', 'This contact is not opted out.');
    return {
      before: { contactId, channel: contact.channel, optOutReason: contact.opt_out_reason },
      after: { contactId, channel: contact.channel, reason: reason.trim() },
    };
  });
  return (await listContacts(ctx.db, personId)).find((c) => c.id === contactId)!;
}
