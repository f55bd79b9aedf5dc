import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../platform/errors.js';
import type { Affiliation, LocationKind } from './directory.tables.js';
import {
  insertContacts,
  maxContactsPerPerson,
  normalized,
  withPrimaries,
  type ContactInput,
} from './manage-contact.js';
import { changePerson } from './person-change.js';
import { findLocationsByCodes, resolveCampus } from './locations.queries.js';
import { findByInstitutionalId, findPerson, listContacts, type PersonRow } from './people.queries.js';

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

export interface CreatePerson extends PersonFields {
  affiliation: Affiliation;
  campus?: string;
  contacts?: ContactInput[];
  request: RequestMeta;
}

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
    if (!(await setPersonStatus(trx, id, active, new Date())))
      throw new AppError('invalid_transition', `This person is already ${before.status}.`, {
        status: before.status,
      });
    return { before: { status: before.status }, after: { status: active ? 'active' : 'inactive' } };
  });
  return (await findPerson(ctx.db, id))!;
}

/**
 * Make a person active or inactive (inactive people receive nothing) in the caller's transaction;
 * false, changing nothing, when they already were.
 */
export async function setPersonStatus(trx: Trx, id: string, active: boolean, at: Date): Promise<boolean> {
  const updated = await trx
    .updateTable('people')
    .set({ status: active ? 'active' : 'inactive', deactivated_at: active ? null : at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', active ? 'inactive' : 'active')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
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
