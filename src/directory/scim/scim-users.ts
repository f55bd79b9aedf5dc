import { writeAudit } from '../../audit/write-audit.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { channels } from '../directory.tables.js';
import { fieldsSet, personChanges } from './scim-changes.js';
import { uniqueness } from './scim-errors.js';
import { filterCondition } from './scim-filter-sql.js';
import { parseFilter } from './scim-filter.js';
import { listResponse, pageOf, type ListQuery } from './scim-list.js';
import {
  personFromScim,
  userResource,
  type ContactRow,
  type MappingRules,
  type PersonRow,
  type ScimPersonFields,
} from './scim-mapping.js';
import { applyUserPatch, patchOperations } from './scim-patch.js';
import {
  countScimPeople,
  directoryContacts,
  externalIdHolder,
  findDeletedScimPerson,
  findScimPerson,
  insertScimPerson,
  listScimPeople,
  replaceDirectoryContacts,
  scimCampusId,
  updateScimPerson,
  userFilterColumns,
  userNameHolder,
} from './scim-users.queries.js';

/** Who is provisioning (the SCIM client's API token) and the request, for audit rows. */
export interface ScimCaller {
  actor: Actor;
  request: RequestMeta;
}

/** A SCIM resource as JSON. */
export type ScimResource = Record<string, unknown>;

/** The base URL of the SCIM endpoints, for meta.location. */
export const scimBaseUrl = (ctx: AppContext) => `${ctx.config.publicUrl}/scim/v2`;

function mappingRules(ctx: AppContext): MappingRules {
  const { defaultPhoneRegion, affiliationValues } = ctx.profile.directory;
  return { defaultPhoneRegion, affiliationValues };
}

const userNotFound = (id: string) => new AppError('not_found', `User ${id} was not found.`);

/** Provision a person from a SCIM User resource (POST /Users). */
export async function createScimUser(
  ctx: AppContext,
  caller: ScimCaller,
  body: unknown,
): Promise<ScimResource> {
  const fields = personFromScim(body, mappingRules(ctx));
  const campusId = await scimCampusId(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const deleted = await findDeletedScimPerson(trx, campusId, fields);
    await ensureIdentifiersFree(trx, campusId, fields, deleted ?? null);
    if (deleted) return reprovisionPerson(ctx, trx, caller, { campusId, person: deleted, fields });
    const person = await insertScimPerson(trx, campusId, fields, now);
    await replaceDirectoryContacts(trx, person.id, fields.contacts, [...channels], now);
    const contacts = await directoryContacts(trx, [person.id]);
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'person.create',
      target: { type: 'person', id: person.id },
      campusId,
      after: { status: person.status, changed: fieldsSet(fields) },
      metadata: { via: 'scim' },
      request: caller.request,
    });
    return userResource(person, contacts, scimBaseUrl(ctx));
  });
}

/** One provisioned person as a SCIM User (GET /Users/:id). */
export async function getScimUser(ctx: AppContext, id: string): Promise<ScimResource> {
  const person = await findScimPerson(ctx.db, await scimCampusId(ctx), id);
  if (!person) throw userNotFound(id);
  return userResource(person, await directoryContacts(ctx.db, [person.id]), scimBaseUrl(ctx));
}

/** A filtered page of provisioned people (GET /Users). */
export async function listScimUsers(ctx: AppContext, query: ListQuery) {
  const condition = query.filter ? filterCondition(parseFilter(query.filter), userFilterColumns) : null;
  const campusId = await scimCampusId(ctx);
  const page = pageOf(query);
  const total = await countScimPeople(ctx.db, campusId, condition);
  const rows =
    page.limit > 0 && total > page.offset
      ? await listScimPeople(ctx.db, campusId, condition, { ...page, total })
      : [];
  const contacts = await directoryContacts(
    ctx.db,
    rows.map((r) => r.id),
  );
  const base = scimBaseUrl(ctx);
  return listResponse(
    rows.map((r) => userResource(r, contacts, base)),
    total,
    page.startIndex,
  );
}

/** Replace a person's provisioned data with a full SCIM User resource (PUT /Users/:id). */
export async function replaceScimUser(
  ctx: AppContext,
  caller: ScimCaller,
  id: string,
  body: unknown,
): Promise<ScimResource> {
  const fields = personFromScim(body, mappingRules(ctx));
  return withLockedPerson(ctx, id, (trx, person, contacts, campusId) =>
    writePerson(ctx, trx, caller, { campusId, person, contacts, fields }),
  );
}

/** Apply PATCH operations as Entra ID and Okta send them (PATCH /Users/:id). */
export async function patchScimUser(
  ctx: AppContext,
  caller: ScimCaller,
  id: string,
  body: unknown,
): Promise<ScimResource> {
  const operations = patchOperations(body);
  return withLockedPerson(ctx, id, (trx, person, contacts, campusId) => {
    const current = userResource(person, contacts, scimBaseUrl(ctx));
    const fields = personFromScim(applyUserPatch(current, operations), mappingRules(ctx));
    return writePerson(ctx, trx, caller, { campusId, person, contacts, fields });
  });
}

/** Run work on a SCIM person, locked, in one transaction; 404 when SCIM serves no such User. */
export async function withLockedPerson<T>(
  ctx: AppContext,
  id: string,
  work: (trx: Trx, person: PersonRow, contacts: ContactRow[], campusId: string) => Promise<T>,
): Promise<T> {
  const campusId = await scimCampusId(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const person = await findScimPerson(trx, campusId, id, { lock: true });
    if (!person) throw userNotFound(id);
    return work(trx, person, await directoryContacts(trx, [person.id]), campusId);
  });
}

interface Write {
  campusId: string;
  person: PersonRow;
  contacts: ContactRow[];
  fields: ScimPersonFields;
}

/** Write what changed (nothing, when nothing did) with one audit row naming the changed attributes. */
async function writePerson(
  ctx: AppContext,
  trx: Trx,
  caller: ScimCaller,
  write: Write,
): Promise<ScimResource> {
  const { campusId, person, contacts, fields } = write;
  const now = ctx.clock.now();
  const changes = personChanges(person, contacts, fields, now);
  if (changes.changed.length === 0) return userResource(person, contacts, scimBaseUrl(ctx));
  await ensureIdentifiersFree(trx, campusId, fields, person);
  const updated = await updateScimPerson(trx, person.id, changes.set, now);
  await replaceDirectoryContacts(trx, person.id, fields.contacts, changes.channels, now);
  const fresh = await directoryContacts(trx, [person.id]);
  await writeAudit(trx, {
    actor: caller.actor,
    action: statusAction(person.status, updated.status),
    target: { type: 'person', id: person.id },
    campusId,
    before: { status: person.status },
    after: { status: updated.status, changed: changes.changed },
    metadata: { via: 'scim' },
    request: caller.request,
  });
  return userResource(updated, fresh, scimBaseUrl(ctx));
}

/**
 * A POST naming a User the client deleted brings back the same directory person, with their
 * history, their own contacts and what they verified, under the same SCIM id. The id is the
 * person's id everywhere (group members, $ref, audit rows), and RFC 7643 §3.1 only forbids handing
 * an id to a different resource; a new id would split one person across two rows. As for any POST,
 * the person is active unless the resource says otherwise; what it leaves unsaid (userType) stays.
 */
async function reprovisionPerson(
  ctx: AppContext,
  trx: Trx,
  caller: ScimCaller,
  write: Omit<Write, 'contacts'>,
): Promise<ScimResource> {
  const { campusId, person, fields } = write;
  const now = ctx.clock.now();
  const contacts = await directoryContacts(trx, [person.id]);
  const changes = personChanges(person, contacts, { ...fields, active: fields.active ?? true }, now);
  const updated = await updateScimPerson(trx, person.id, { ...changes.set, scim_deleted_at: null }, now);
  await replaceDirectoryContacts(trx, person.id, fields.contacts, changes.channels, now);
  await writeAudit(trx, {
    actor: caller.actor,
    action: statusAction(person.status, updated.status),
    target: { type: 'person', id: person.id },
    campusId,
    before: { status: person.status, scimDeleted: true },
    after: { status: updated.status, scimDeleted: false, changed: changes.changed },
    metadata: { via: 'scim', method: 'POST' },
    request: caller.request,
  });
  return userResource(updated, await directoryContacts(trx, [person.id]), scimBaseUrl(ctx));
}

function statusAction(before: string, after: string): string {
  if (before === after) return 'person.update';
  return after === 'inactive' ? 'person.deactivate' : 'person.reactivate';
}

// A deleted User answers 404, so a conflict with one says so instead of pointing at its id.
const userLabel = (holder: { id: string; scim_deleted_at: Date | null }) =>
  holder.scim_deleted_at ? 'a User that was deleted' : `User ${holder.id}`;

/** 409 uniqueness when another person holds the userName (any feed) or externalId (SCIM). */
async function ensureIdentifiersFree(
  trx: Trx,
  campusId: string,
  fields: ScimPersonFields,
  self: PersonRow | null,
): Promise<void> {
  const holder = await userNameHolder(trx, campusId, fields.institutionalId);
  if (holder && holder.id !== self?.id) {
    throw uniqueness(
      holder.source === 'scim'
        ? `userName "${fields.institutionalId}" is already provisioned as ${userLabel(holder)}.`
        : `userName "${fields.institutionalId}" belongs to a person from the ${holder.source} directory feed; SCIM does not take over people another feed manages.`,
    );
  }
  if (!fields.externalId || fields.externalId === self?.external_id) return;
  const other = await externalIdHolder(trx, campusId, fields.externalId);
  if (other && other.id !== self?.id)
    throw uniqueness(`externalId "${fields.externalId}" is already used by ${userLabel(other)}.`);
}
