import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { invalidSyntax, invalidValue, uniqueness } from './scim-errors.js';
import { filterCondition } from './scim-filter-sql.js';
import { parseFilter } from './scim-filter.js';
import {
  displayNameOf,
  externalIdOf,
  memberIds,
  planGroupPatch,
  type MemberChange,
} from './scim-group-patch.js';
import {
  addMembers,
  countScimGroups,
  deleteGroup,
  findScimGroup,
  groupExternalIdHolder,
  groupFilterColumns,
  groupMembers,
  groupNameHolder,
  insertScimGroup,
  listScimGroups,
  removeMembers,
  unknownPeople,
  updateScimGroup,
  type GroupRow,
  type MemberRow,
} from './scim-groups.queries.js';
import { listResponse, pageOf, type ListQuery } from './scim-list.js';
import { patchOperations } from './scim-patch.js';
import { attribute, isObject, urn } from './scim-urns.js';
import { scimBaseUrl, type ScimCaller, type ScimResource } from './scim-users.js';
import { scimCampusId } from './scim-users.queries.js';

interface GroupInput {
  name: string;
  externalId: string | null;
  members: string[];
}

const groupNotFound = (id: string) => new AppError('not_found', `Group ${id} was not found.`);

function groupFromScim(body: unknown): GroupInput {
  if (!isObject(body)) throw invalidSyntax('The body must be a SCIM Group resource (a JSON object).');
  return {
    name: displayNameOf(attribute(body, 'displayName')),
    externalId: externalIdOf(attribute(body, 'externalId')),
    members: memberIds(attribute(body, 'members')),
  };
}

function groupResource(group: GroupRow, members: MemberRow[] | null, base: string): ScimResource {
  return {
    schemas: [urn.group],
    id: group.id,
    displayName: group.name,
    ...(group.external_id ? { externalId: group.external_id } : {}),
    ...(members
      ? {
          members: members
            .filter((m) => m.group_id === group.id)
            .map((m) => ({
              value: m.person_id,
              display: m.display_name,
              type: 'User',
              $ref: `${base}/Users/${m.person_id}`,
            })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.created_at.toISOString(),
      lastModified: group.updated_at.toISOString(),
      location: `${base}/Groups/${group.id}`,
    },
  };
}

/** Whether a request's excludedAttributes leaves members out (Entra ID asks so for large groups). */
const excludesMembers = (excluded: string | undefined) =>
  (excluded ?? '').split(',').some((a) => a.trim().toLowerCase() === 'members');

/** Create a static group provisioned by SCIM (POST /Groups). */
export async function createScimGroup(
  ctx: AppContext,
  caller: ScimCaller,
  body: unknown,
): Promise<ScimResource> {
  const input = groupFromScim(body);
  const campusId = await scimCampusId(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await ensureGroupIdentifiersFree(trx, campusId, input, null);
    await ensureMembersKnown(trx, campusId, input.members);
    const group = await insertScimGroup(trx, campusId, input, now);
    const added = await addMembers(trx, group.id, input.members, now);
    const members = await groupMembers(trx, [group.id]);
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'group.create',
      target: { type: 'group', id: group.id },
      campusId,
      after: { name: group.name, membersAdded: added },
      metadata: { via: 'scim' },
      request: caller.request,
    });
    return groupResource(group, members, scimBaseUrl(ctx));
  });
}

/** One SCIM group (GET /Groups/:id). */
export async function getScimGroup(ctx: AppContext, id: string, query: ListQuery): Promise<ScimResource> {
  const group = await findScimGroup(ctx.db, await scimCampusId(ctx), id);
  if (!group) throw groupNotFound(id);
  const members = excludesMembers(query.excludedAttributes) ? null : await groupMembers(ctx.db, [group.id]);
  return groupResource(group, members, scimBaseUrl(ctx));
}

/** A filtered page of SCIM groups (GET /Groups). */
export async function listScimGroupsPage(ctx: AppContext, query: ListQuery) {
  const condition = query.filter ? filterCondition(parseFilter(query.filter), groupFilterColumns) : null;
  const campusId = await scimCampusId(ctx);
  const page = pageOf(query);
  const total = await countScimGroups(ctx.db, campusId, condition);
  const rows =
    page.limit > 0 && total > page.offset ? await listScimGroups(ctx.db, campusId, condition, page) : [];
  const members = excludesMembers(query.excludedAttributes)
    ? null
    : await groupMembers(
        ctx.db,
        rows.map((r) => r.id),
      );
  const base = scimBaseUrl(ctx);
  return listResponse(
    rows.map((r) => groupResource(r, members, base)),
    total,
    page.startIndex,
  );
}

/** Replace a group's name, externalId and members (PUT /Groups/:id). */
export async function replaceScimGroup(
  ctx: AppContext,
  caller: ScimCaller,
  id: string,
  body: unknown,
): Promise<ScimResource> {
  const input = groupFromScim(body);
  return changeGroup(ctx, caller, id, {
    displayName: input.name,
    externalId: input.externalId,
    members: [{ kind: 'set', ids: input.members }],
  });
}

/** Apply PATCH operations: rename, externalId, add and remove members (PATCH /Groups/:id). */
export async function patchScimGroup(
  ctx: AppContext,
  caller: ScimCaller,
  id: string,
  body: unknown,
): Promise<void> {
  await changeGroup(ctx, caller, id, planGroupPatch(patchOperations(body)));
}

/** Delete a SCIM group and its memberships (DELETE /Groups/:id); the people stay. */
export async function deleteScimGroup(ctx: AppContext, caller: ScimCaller, id: string): Promise<void> {
  const campusId = await scimCampusId(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const group = await findScimGroup(trx, campusId, id, { lock: true });
    if (!group) throw groupNotFound(id);
    await deleteGroup(trx, group.id);
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'group.delete',
      target: { type: 'group', id: group.id },
      campusId,
      before: { name: group.name },
      metadata: { via: 'scim' },
      request: caller.request,
    });
  });
}

interface GroupChange {
  displayName?: string;
  externalId?: string | null;
  members: MemberChange[];
}

async function changeGroup(ctx: AppContext, caller: ScimCaller, id: string, change: GroupChange) {
  const campusId = await scimCampusId(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const group = await findScimGroup(trx, campusId, id, { lock: true });
    if (!group) throw groupNotFound(id);
    const name = change.displayName ?? group.name;
    const externalId = change.externalId === undefined ? group.external_id : change.externalId;
    await ensureGroupIdentifiersFree(trx, campusId, { name, externalId }, group);
    await ensureMembersKnown(
      trx,
      campusId,
      change.members.flatMap((m) => (m.kind === 'remove' ? [] : m.ids)),
    );
    const counts = await applyMemberChanges(trx, group.id, change.members, now);
    const changed = [
      ...(name !== group.name ? ['displayName'] : []),
      ...(externalId !== group.external_id ? ['externalId'] : []),
      ...(counts.added + counts.removed > 0 ? ['members'] : []),
    ];
    if (changed.length === 0)
      return groupResource(group, await groupMembers(trx, [group.id]), scimBaseUrl(ctx));
    const updated = await updateScimGroup(trx, group.id, { name, external_id: externalId }, now);
    const members = await groupMembers(trx, [group.id]);
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'group.update',
      target: { type: 'group', id: group.id },
      campusId,
      before: { name: group.name },
      after: { name: updated.name, changed, membersAdded: counts.added, membersRemoved: counts.removed },
      metadata: { via: 'scim' },
      request: caller.request,
    });
    return groupResource(updated, members, scimBaseUrl(ctx));
  });
}

async function applyMemberChanges(trx: Trx, groupId: string, changes: MemberChange[], now: Date) {
  const counts = { added: 0, removed: 0 };
  for (const change of changes) {
    if (change.kind === 'remove') counts.removed += await removeMembers(trx, groupId, { ids: change.ids });
    if (change.kind === 'set') counts.removed += await removeMembers(trx, groupId, { allBut: change.ids });
    if (change.kind !== 'remove') counts.added += await addMembers(trx, groupId, change.ids, now);
  }
  return counts;
}

async function ensureMembersKnown(trx: Trx, campusId: string, ids: string[]): Promise<void> {
  const unknown = await unknownPeople(trx, campusId, ids);
  if (unknown.length > 0)
    throw invalidValue(`members: no provisioned User has the id ${unknown.slice(0, 10).join(', ')}.`);
}

async function ensureGroupIdentifiersFree(
  trx: Trx,
  campusId: string,
  input: { name: string; externalId: string | null },
  self: GroupRow | null,
): Promise<void> {
  const holder = await groupNameHolder(trx, campusId, input.name);
  if (holder && holder.id !== self?.id) {
    throw uniqueness(
      holder.source === 'scim'
        ? `A group named "${input.name}" is already provisioned as Group ${holder.id}.`
        : `A group named "${input.name}" already exists (made by ${holder.source}); choose another name.`,
    );
  }
  if (!input.externalId || input.externalId === self?.external_id) return;
  const other = await groupExternalIdHolder(trx, campusId, input.externalId);
  if (other && other.id !== self?.id)
    throw uniqueness(`externalId "${input.externalId}" is already used by Group ${other.id}.`);
}
