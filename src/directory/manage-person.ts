import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../platform/errors.js';
import { normalizeAddress } from './contacts.policy.js';
import type { Affiliation, Channel, LocationKind } from './directory.tables.js';
import { findLocationsByCodes, resolveCampus } from './locations.queries.js';
import {
  findByInstitutionalId,
  findPerson,
  listContacts,
  type ContactRow,
  type PersonRow,
} from './people.queries.js';

export interface PersonFields {
  displayName?: string;
  givenName?: string | null;
  familyName?: string | null;
  affiliation?: Affiliation;
  institutionalId?: string | null;
  department?: string | null;
  /** Home building by code; null clears it. */
  homeBuilding?: string | null;
  /** Residence hall by code; null clears it. */
  residenceHall?: string | null;
  preferredLanguage?: string;
}

export interface ContactInput {
  channel: Channel;
  address: string;
  primary?: boolean;
}

export interface CreatePerson extends PersonFields {
  affiliation: Affiliation;
  campus?: string;
  contacts?: ContactInput[];
  request: RequestMeta;
}

export const maxContactsPerPerson = 20;
// Audit rows about people carry ids, codes and field names, never names or contact addresses:
// the audit log is append-only and outlives the person's record.
const auditedValues = [
  'affiliation',
  'department',
  'homeBuilding',
  'residenceHall',
  'preferredLanguage',
] as const;

/** A person with their contacts; reading contacts is a sensitive read, so it writes an audit row. */
export async function readPerson(ctx: AppContext, actor: Actor, id: string, request: RequestMeta) {
  return ctx.db.transaction().execute(async (trx) => {
    const person = await findPerson(trx, id);
    if (!person) throw notFound('Person');
    const contacts = await listContacts(trx, id);
    await writeAudit(trx, {
      actor,
      action: 'person.read',
      target: { type: 'person', id },
      campusId: person.campus_id,
      metadata: { contacts: contacts.length },
      request,
    });
    return { person, contacts };
  });
}

/** Add a person by hand (source "manual"), with contacts if given. */
export async function createPerson(ctx: AppContext, actor: Actor, input: CreatePerson): Promise<PersonRow> {
  const campus = await resolveCampus(ctx.db, ctx.profile, input.campus);
  const displayName = displayNameOf(input);
  const contacts = withPrimaries((input.contacts ?? []).map((c) => normalized(ctx, c)));
  if (contacts.length > maxContactsPerPerson)
    throw invalid(`A person has at most ${maxContactsPerPerson} contacts.`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    if (input.institutionalId) await ensureInstitutionalIdFree(trx, campus.id, input.institutionalId);
    const row = await trx
      .insertInto('people')
      .values({
        campus_id: campus.id,
        source: 'manual',
        affiliation: input.affiliation,
        display_name: displayName,
        given_name: input.givenName?.trim() || null,
        family_name: input.familyName?.trim() || null,
        institutional_id: input.institutionalId?.trim() || null,
        department: input.department?.trim() || null,
        home_building_id: await placeId(trx, campus.id, 'building', input.homeBuilding),
        residence_hall_id: await placeId(trx, campus.id, 'residence_hall', input.residenceHall),
        preferred_language: input.preferredLanguage ?? 'en',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertContacts(trx, row.id, contacts);
    await writeAudit(trx, {
      actor,
      action: 'person.create',
      target: { type: 'person', id: row.id },
      campusId: campus.id,
      after: { ...auditable(input), source: 'manual', contacts: contacts.map((c) => c.channel) },
      request: input.request,
    });
    return row.id;
  });
  return (await findPerson(ctx.db, id))!;
}

/** Change a person's fields; omitted fields stay, null clears an optional one. */
export async function updatePerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: PersonFields & { request: RequestMeta },
): Promise<PersonRow> {
  const { request, ...fields } = input;
  const changed = Object.keys(fields).filter((k) => fields[k as keyof PersonFields] !== undefined);
  if (changed.length === 0) throw invalid('Nothing to change: send at least one field.');
  await changePerson(ctx, actor, id, 'person.update', request, async (trx, before) => {
    if (
      fields.institutionalId &&
      fields.institutionalId.toLowerCase() !== before.institutional_id?.toLowerCase()
    )
      await ensureInstitutionalIdFree(trx, before.campus_id, fields.institutionalId);
    await trx
      .updateTable('people')
      .set({
        affiliation: fields.affiliation,
        display_name: fields.displayName?.trim() || undefined,
        given_name: optionalText(fields.givenName),
        family_name: optionalText(fields.familyName),
        institutional_id: optionalText(fields.institutionalId),
        department: optionalText(fields.department),
        home_building_id: await placeId(trx, before.campus_id, 'building', fields.homeBuilding),
        residence_hall_id: await placeId(trx, before.campus_id, 'residence_hall', fields.residenceHall),
        preferred_language: fields.preferredLanguage,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    return { before: auditable(rowFields(before)), after: { ...auditable(fields), changed } };
  });
  return (await findPerson(ctx.db, id))!;
}

/** Deactivate (inactive people receive nothing) or reactivate a person; a no-op change is a 409. */
export async function setPersonActive(
  ctx: AppContext,
  actor: Actor,
  id: string,
  active: boolean,
  request: RequestMeta,
) {
  const action = active ? 'person.reactivate' : 'person.deactivate';
  await changePerson(ctx, actor, id, action, request, async (trx, before) => {
    const updated = await trx
      .updateTable('people')
      .set({
        status: active ? 'active' : 'inactive',
        deactivated_at: active ? null : new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '=', active ? 'inactive' : 'active')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new AppError('invalid_transition', `This person is already ${before.status}.`, {
        status: before.status,
      });
    return { before: { status: before.status }, after: { status: active ? 'active' : 'inactive' } };
  });
  return (await findPerson(ctx.db, id))!;
}

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

type Change = (
  trx: Trx,
  before: NonNullable<Awaited<ReturnType<typeof lockPerson>>>,
) => Promise<{ before?: Record<string, unknown>; after?: Record<string, unknown> }>;

/** One change to a person (or their contacts) and its audit row, in one transaction. */
async function changePerson(
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
function withPrimaries(contacts: ContactInput[]): Array<ContactInput & { primary: boolean }> {
  const unique = [...new Map(contacts.map((c) => [`${c.channel} ${c.address}`, c])).values()];
  const chosen = new Map<Channel, ContactInput>();
  for (const c of unique) if (c.primary && !chosen.has(c.channel)) chosen.set(c.channel, c);
  for (const c of unique) if (!chosen.has(c.channel)) chosen.set(c.channel, c);
  return unique.map((c) => ({ ...c, primary: chosen.get(c.channel) === c }));
}

/** Insert directory contacts in one statement. */
async function insertContacts(
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
        source: 'directory' as const,
        is_primary: c.primary,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

function normalized(ctx: AppContext, input: ContactInput): ContactInput {
  const result = normalizeAddress(input.channel, input.address, ctx.profile.directory.defaultPhoneRegion);
  if (!result.ok)
    throw invalid(`The ${input.channel} address is not usable: ${result.reason}.`, { field: 'address' });
  return { channel: input.channel, address: result.address, primary: input.primary };
}

async function placeId(trx: Trx, campusId: string, kind: LocationKind, code: string | null | undefined) {
  if (code === undefined || code === null) return code;
  const [place] = await findLocationsByCodes(trx, campusId, [code.trim()]);
  const field = kind === 'building' ? 'homeBuilding' : 'residenceHall';
  if (!place) throw invalid(`No location with code "${code}" on this campus.`, { field });
  if (place.kind !== kind)
    throw invalid(`${place.code} is a ${place.kind.replace('_', ' ')}, not a ${kind.replace('_', ' ')}.`, {
      field,
    });
  return place.id;
}

async function ensureInstitutionalIdFree(trx: Trx, campusId: string, institutionalId: string) {
  const holder = await findByInstitutionalId(trx, campusId, institutionalId.trim());
  if (holder)
    throw conflict(`Institutional id "${institutionalId}" already belongs to another person.`, {
      field: 'institutionalId',
      personId: holder.id,
    });
}

function displayNameOf(input: PersonFields): string {
  const name =
    input.displayName?.trim() ||
    [input.givenName, input.familyName]
      .map((n) => n?.trim())
      .filter(Boolean)
      .join(' ');
  if (!name) throw invalid('Give a displayName, or a givenName and familyName.', { field: 'displayName' });
  return name;
}

function optionalText(value: string | null | undefined): string | null | undefined {
  return value === undefined ? undefined : value?.trim() || null;
}

function auditable(fields: PersonFields): Record<string, unknown> {
  return Object.fromEntries(auditedValues.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
}

function rowFields(row: { affiliation: Affiliation; department: string | null; preferred_language: string }) {
  return {
    affiliation: row.affiliation,
    department: row.department,
    preferredLanguage: row.preferred_language,
  };
}

/** An address shortened for audit rows and logs: j…@example.edu, …0123. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at > 0) return `${address[0]}…${address.slice(at)}`;
  return `…${address.slice(-4)}`;
}
