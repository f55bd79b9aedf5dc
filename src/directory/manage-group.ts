import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../platform/errors.js';
import type { GroupRule, LocationKind } from './directory.tables.js';
import { checkGroupRule } from './group-rule.policy.js';
import { findGroup, findGroupByName, listedMembers, type GroupRow } from './groups.queries.js';
import { findLocationsByCodes, resolveCampus } from './locations.queries.js';
import { existingPeople } from './people.queries.js';

export interface CreateGroup {
  name: string;
  description?: string | null;
  kind: 'static' | 'dynamic';
  /** Required for a dynamic group, refused for a static one. */
  rule?: unknown;
  campus?: string;
  request: RequestMeta;
}

export interface UpdateGroup {
  name?: string;
  description?: string | null;
  rule?: unknown;
  request: RequestMeta;
}

/** Create a static group (members listed by hand) or a dynamic one (members matched by its rule). */
export async function createGroup(ctx: AppContext, actor: Actor, input: CreateGroup): Promise<GroupRow> {
  const campus = await resolveCampus(ctx.db, ctx.profile, input.campus);
  if (input.kind === 'static' && input.rule !== undefined)
    throw invalid('A static group has no rule; its members are added by hand.', { field: 'rule' });
  if (input.kind === 'dynamic' && input.rule === undefined)
    throw invalid('A dynamic group needs a rule, such as {"affiliations": ["student"]}.', { field: 'rule' });
  const id = await ctx.db.transaction().execute(async (trx) => {
    await ensureNameFree(trx, campus.id, input.name);
    const rule = input.kind === 'dynamic' ? await usableRule(trx, campus.id, input.rule) : null;
    const row = await trx
      .insertInto('groups')
      .values({
        campus_id: campus.id,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        kind: input.kind,
        rule: rule ? JSON.stringify(rule) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor,
      action: 'group.create',
      target: { type: 'group', id: row.id },
      campusId: campus.id,
      after: { name: input.name.trim(), kind: input.kind, rule },
      request: input.request,
    });
    return row.id;
  });
  return (await findGroup(ctx.db, id))!;
}

/** Rename a group, change its description, or (dynamic groups) replace its rule. */
export async function updateGroup(ctx: AppContext, actor: Actor, id: string, input: UpdateGroup) {
  await changeGroup(ctx, actor, id, 'group.update', input.request, async (trx, group) => {
    if (input.rule !== undefined && group.kind === 'static')
      throw invalid('A static group has no rule; add or remove its members instead.', { field: 'rule' });
    if (input.name !== undefined && input.name.trim().toLowerCase() !== group.name.toLowerCase())
      await ensureNameFree(trx, group.campus_id, input.name);
    const rule = input.rule === undefined ? undefined : await usableRule(trx, group.campus_id, input.rule);
    await trx
      .updateTable('groups')
      .set({
        name: input.name?.trim(),
        description: input.description === undefined ? undefined : input.description?.trim() || null,
        rule: rule ? JSON.stringify(rule) : undefined,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    return {
      before: { name: group.name, description: group.description, rule: group.rule },
      after: { name: input.name?.trim(), description: input.description, rule },
    };
  });
  return (await findGroup(ctx.db, id))!;
}

/** Delete a group (its member list goes with it; the people stay). */
export async function deleteGroup(ctx: AppContext, actor: Actor, id: string, request: RequestMeta) {
  await changeGroup(ctx, actor, id, 'group.delete', request, async (trx, group) => {
    await trx.deleteFrom('groups').where('id', '=', id).execute();
    return { before: { name: group.name, kind: group.kind, rule: group.rule } };
  });
}

/** Add people to a static group in one statement; people already in it are counted, not an error. */
export async function addGroupMembers(
  ctx: AppContext,
  actor: Actor,
  id: string,
  personIds: string[],
  request: RequestMeta,
) {
  const ids = [...new Set(personIds.map((p) => p.toLowerCase()))];
  let result = { added: 0, alreadyMembers: 0 };
  await changeGroup(ctx, actor, id, 'group.members_add', request, async (trx, group) => {
    if (group.kind !== 'static')
      throw conflict('A dynamic group’s members come from its rule; change the rule instead.');
    const known = await existingPeople(trx, group.campus_id, ids);
    const unknown = ids.filter((p) => !known.has(p));
    if (unknown.length > 0)
      throw invalid(`${unknown.length} person id(s) are not people of this group's campus.`, {
        field: 'personIds',
        unknown: unknown.slice(0, 20),
      });
    const already = await listedMembers(trx, id, ids);
    const fresh = ids.filter((p) => !already.has(p));
    if (fresh.length > 0)
      await trx
        .insertInto('group_members')
        .values(fresh.map((person_id) => ({ group_id: id, person_id })))
        .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
        .execute();
    result = { added: fresh.length, alreadyMembers: already.size };
    return { after: { ...result, personIds: fresh } };
  });
  return result;
}

/** Remove one person from a static group. */
export async function removeGroupMember(
  ctx: AppContext,
  actor: Actor,
  id: string,
  personId: string,
  request: RequestMeta,
) {
  await changeGroup(ctx, actor, id, 'group.member_remove', request, async (trx, group) => {
    if (group.kind !== 'static')
      throw conflict('A dynamic group’s members come from its rule; change the rule instead.');
    const removed = await trx
      .deleteFrom('group_members')
      .where('group_id', '=', id)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (removed.numDeletedRows === 0n) throw notFound('Group member');
    return { before: { personId } };
  });
}

type Change = (
  trx: Trx,
  group: GroupRow,
) => Promise<{ before?: Record<string, unknown>; after?: Record<string, unknown> }>;

/** One change to a manually managed group and its audit row, in one transaction. */
async function changeGroup(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: string,
  request: RequestMeta,
  change: Change,
) {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.selectFrom('groups').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    const group = await findGroup(trx, id);
    if (!group) throw notFound('Group');
    if (group.source !== 'manual')
      throw conflict(`Group "${group.name}" comes from the ${group.source} feed; change it there.`);
    const { before, after } = await change(trx, group);
    await writeAudit(trx, {
      actor,
      action,
      target: { type: 'group', id },
      campusId: group.campus_id,
      before,
      after,
      request,
    });
  });
}

async function ensureNameFree(trx: Trx, campusId: string, name: string) {
  const taken = await findGroupByName(trx, campusId, name);
  if (taken)
    throw conflict(`A group named "${taken.name}" already exists on this campus.`, { field: 'name' });
}

/** The rule in canonical form, after checking that every location code it names exists. */
async function usableRule(trx: Trx, campusId: string, raw: unknown): Promise<GroupRule> {
  const checked = checkGroupRule(raw);
  if (!checked.ok)
    throw new AppError('validation', `The rule is invalid: ${checked.problems.join('; ')}.`, {
      field: 'rule',
      problems: checked.problems,
    });
  const problems = [
    ...(await codeProblems(trx, campusId, checked.rule.buildingCodes, 'building', 'buildingCodes')),
    ...(await codeProblems(
      trx,
      campusId,
      checked.rule.residenceHallCodes,
      'residence_hall',
      'residenceHallCodes',
    )),
  ];
  if (problems.length > 0)
    throw new AppError('validation', `The rule is invalid: ${problems.join('; ')}.`, {
      field: 'rule',
      problems,
    });
  return checked.rule;
}

async function codeProblems(
  trx: Trx,
  campusId: string,
  codes: string[] | undefined,
  kind: LocationKind,
  field: string,
): Promise<string[]> {
  if (!codes) return [];
  const found = new Map(
    (await findLocationsByCodes(trx, campusId, codes)).map((l) => [l.code.toUpperCase(), l]),
  );
  return codes.flatMap((code) => {
    const place = found.get(code);
    if (!place) return [`rule.${field}: no location with code "${code}" on this campus`];
    if (place.kind !== kind && place.kind !== 'zone')
      return [
        `rule.${field}: ${place.code} is a ${place.kind.replace('_', ' ')}, not a ${kind.replace('_', ' ')} or zone`,
      ];
    return [];
  });
}
