import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../platform/errors.js';
import { normalizeAddress, officeNumberConflict } from './contacts.policy.js';
import type { Channel } from './directory.tables.js';
import { listContacts, type ContactRow } from './people.queries.js';
import { changePerson } from './person-change.js';

export interface ContactInput {
  channel: Channel;
  address: string;
  primary?: boolean;
}

export const maxContactsPerPerson = 20;

/** Add a contact (normalised: E.164 phones, email domains lower-cased); primary if first of its channel. */
export async function addContact(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  input: ContactInput & { request: RequestMeta },
): Promise<ContactRow> {
  const contact = normalized(ctx, input);
  let contactId = '';
  await changePerson(ctx, actor, personId, 'contact.add', input.request, async (trx) => {
    const existing = await listContacts(trx, personId);
    if (existing.length >= maxContactsPerPerson)
      throw conflict(`This person already has ${maxContactsPerPerson} contacts; remove one first.`);
    if (existing.some((c) => c.channel === contact.channel && c.address === contact.address))
      throw conflict(`This person already has that ${contact.channel} contact.`, { field: 'address' });
    const clash = officeNumberConflict(contact, existing);
    if (clash) throw conflict(`The address cannot be added: ${clash}.`, { field: 'address' });
    const primary = input.primary === true || !existing.some((c) => c.channel === contact.channel);
    if (primary) await clearPrimary(trx, personId, contact.channel);
    contactId = (await insertContacts(trx, personId, [{ ...contact, primary }]))[0]!;
    return { after: { contactId, channel: contact.channel, primary, address: maskAddress(contact.address) } };
  });
  return (await listContacts(ctx.db, personId)).find((c) => c.id === contactId)!;
}

/**
 * Remove a contact. Operators with directory.manage may remove any contact, the owner rule
 * (ownerMayRemove) notwithstanding; a removed primary hands primary to the oldest of its channel.
 */
export async function removeContact(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  contactId: string,
  request: RequestMeta,
) {
  await changePerson(ctx, actor, personId, 'contact.remove', request, async (trx) => {
    const contact = await contactOf(trx, personId, contactId);
    await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
    const next = (await listContacts(trx, personId)).find((c) => c.channel === contact.channel);
    if (contact.is_primary && next)
      await trx
        .updateTable('contacts')
        .set({ is_primary: true, updated_at: new Date() })
        .where('id', '=', next.id)
        .execute();
    const before = {
      contactId,
      channel: contact.channel,
      source: contact.source,
      primary: contact.is_primary,
    };
    return { before: { ...before, address: maskAddress(contact.address) } };
  });
}

/** Stop sending to a contact, keeping why; a contact already opted out is a 409. */
export async function optOutContact(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  contactId: string,
  reason: string,
  request: RequestMeta,
): Promise<ContactRow> {
  await changePerson(ctx, actor, personId, 'contact.opt_out', request, async (trx) => {
    const contact = await contactOf(trx, personId, contactId);
    const updated = await trx
      .updateTable('contacts')
      .set({ opted_out_at: new Date(), opt_out_reason: reason.trim(), updated_at: new Date() })
      .where('id', '=', contactId)
      .where('opted_out_at', 'is', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new AppError(
        'invalid_transition',
        `This contact opted out on ${contact.opted_out_at?.toISOString()}.`,
      );
    return { after: { contactId, channel: contact.channel, reason: reason.trim() } };
  });
  return (await listContacts(ctx.db, personId)).find((c) => c.id === contactId)!;
}

/**
 * Opt a person's contacts out for `reason` (only `contactId` when given) in the caller's
 * transaction; contacts already opted out keep their reason. How many changed.
 */
export async function optOutPersonContacts(
  trx: Trx,
  personId: string,
  optOut: { reason: string; at: Date; contactId?: string },
): Promise<number> {
  let query = trx
    .updateTable('contacts')
    .set({ opted_out_at: optOut.at, opt_out_reason: optOut.reason, updated_at: optOut.at })
    .where('person_id', '=', personId)
    .where('opted_out_at', 'is', null);
  if (optOut.contactId) query = query.where('id', '=', optOut.contactId);
  const updated = await query.executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

async function contactOf(trx: Trx, personId: string, contactId: string) {
  const contact = (await listContacts(trx, personId)).find((c) => c.id === contactId);
  if (!contact) throw notFound('Contact');
  return contact;
}

async function clearPrimary(trx: Trx, personId: string, channel: Channel) {
  await trx
    .updateTable('contacts')
    .set({ is_primary: false, updated_at: new Date() })
    .where('person_id', '=', personId)
    .where('channel', '=', channel)
    .where('is_primary', '=', true)
    .execute();
}

/** One primary per channel: the first marked primary, else the first given; duplicates dropped. */
export function withPrimaries(contacts: ContactInput[]): Array<ContactInput & { primary: boolean }> {
  const unique = [...new Map(contacts.map((c) => [`${c.channel} ${c.address}`, c])).values()];
  const chosen = new Map<Channel, ContactInput>();
  for (const c of unique) if (c.primary && !chosen.has(c.channel)) chosen.set(c.channel, c);
  for (const c of unique) if (!chosen.has(c.channel)) chosen.set(c.channel, c);
  return unique.map((c) => ({ ...c, primary: chosen.get(c.channel) === c }));
}

/** Insert contacts an operator gives (source 'operator': a sync never replaces them) in one statement. */
export async function insertContacts(
  trx: Trx,
  personId: string,
  contacts: Array<ContactInput & { primary: boolean }>,
): Promise<string[]> {
  if (contacts.length === 0) return [];
  const rows = await trx
    .insertInto('contacts')
    .values(
      contacts.map((c) => ({
        person_id: personId,
        channel: c.channel,
        address: c.address,
        source: 'operator' as const,
        is_primary: c.primary,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A contact with its address normalised for its channel, or a 400 saying why it cannot be used. */
export function normalized(ctx: AppContext, input: ContactInput): ContactInput {
  const result = normalizeAddress(input.channel, input.address, ctx.profile.directory.defaultPhoneRegion);
  if (!result.ok)
    throw invalid(`The ${input.channel} address is not usable: ${result.reason}.`, { field: 'address' });
  return { channel: input.channel, address: result.address, primary: input.primary };
}

/** An address shortened for audit rows and logs: j…@example.edu, …0123. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at > 0) return `${address[0]}…${address.slice(at)}`;
  return `…${address.slice(-4)}`;
}
