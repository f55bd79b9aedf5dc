import { invalidFilter, invalidPath, invalidValue, mutability, noTarget } from './scim-errors.js';
import { normalizeAttrPath, parseFilter, type Filter } from './scim-filter.js';
import type { PatchOperation } from './scim-patch.js';
import { isObject } from './scim-urns.js';

/** One change to a group's members, applied in order. */
export interface MemberChange {
  kind: 'add' | 'remove' | 'set';
  ids: string[];
}

/** What a Group PATCH does: new name or externalId, and member changes in order. */
export interface GroupPatchPlan {
  displayName?: string;
  externalId?: string | null;
  members: MemberChange[];
}

const readOnly = new Set(['id', 'meta', 'schemas']);
const pathPattern = /^([A-Za-z][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$-]*))?$/s;

/**
 * Turn Group PATCH operations into a plan, accepting what Entra ID and Okta send:
 * `{"op":"Add","path":"members","value":[{"value":id}]}`, `{"op":"Remove","path":"members[value eq \"id\"]"}`,
 * `{"op":"remove","path":"members","value":[…]}` and `{"op":"replace","value":{"id":…,"displayName":…}}`.
 */
export function planGroupPatch(operations: PatchOperation[]): GroupPatchPlan {
  const plan: GroupPatchPlan = { members: [] };
  for (const operation of operations) {
    if (operation.path !== null) applyPath(plan, operation.op, operation.path, operation.value);
    else applyValueObject(plan, operation);
  }
  return plan;
}

function applyValueObject(plan: GroupPatchPlan, operation: PatchOperation): void {
  if (operation.op === 'remove') throw noTarget('A remove operation needs a path saying what to remove.');
  if (!isObject(operation.value)) throw invalidValue('An operation without a path needs an object value.');
  for (const [key, value] of Object.entries(operation.value)) {
    if (readOnly.has(key.toLowerCase())) continue;
    applyPath(plan, operation.op, key, value);
  }
}

function applyPath(plan: GroupPatchPlan, op: PatchOperation['op'], path: string, value: unknown): void {
  const match = pathPattern.exec(normalizeAttrPath(path));
  if (!match) throw invalidPath(`"${path}" is not a valid attribute path.`);
  const [, attr, filter, sub] = match as unknown as [string, string, string | undefined, string | undefined];
  if (attr === 'members') return applyMembers(plan, op, filter, sub, value);
  if (filter || sub) throw invalidPath(`"${path}" has no sub-attributes.`);
  if (attr === 'displayname') {
    if (op === 'remove') throw mutability('displayName is required; it can be replaced, not removed.');
    plan.displayName = displayNameOf(value);
  } else if (attr === 'externalid') {
    plan.externalId = op === 'remove' ? null : externalIdOf(value);
  } else if (readOnly.has(attr)) {
    throw mutability(`"${path}" is read-only.`);
  } else {
    throw invalidPath(
      `"${path}" is not an attribute of Tocsin's SCIM Group (displayName, externalId, members).`,
    );
  }
}

function applyMembers(
  plan: GroupPatchPlan,
  op: PatchOperation['op'],
  filter: string | undefined,
  sub: string | undefined,
  value: unknown,
): void {
  if (sub && sub !== 'value') throw invalidPath(`members has no stored sub-attribute "${sub}".`);
  if (filter) {
    if (op !== 'remove') throw invalidPath('Add or replace members with path "members" and a value list.');
    plan.members.push({ kind: 'remove', ids: idsInFilter(parseFilter(filter)) });
  } else if (op === 'remove') {
    plan.members.push(
      value === undefined ? { kind: 'set', ids: [] } : { kind: 'remove', ids: memberIds(value) },
    );
  } else {
    plan.members.push({ kind: op === 'add' ? 'add' : 'set', ids: memberIds(value) });
  }
}

/** The ids of `value eq "id"` filters joined with or. */
function idsInFilter(filter: Filter): string[] {
  if (filter.kind === 'or') return [...idsInFilter(filter.left), ...idsInFilter(filter.right)];
  if (
    filter.kind === 'compare' &&
    filter.path === 'value' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string'
  )
    return [filter.value];
  throw invalidFilter('Select members with members[value eq "id"] (several joined with or).');
}

/** Member ids from a value list `[{"value": id}, …]` (a single object is accepted too). */
export function memberIds(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const id = isObject(item) ? item.value : undefined;
    if (typeof id !== 'string' || id === '')
      throw invalidValue('Each member must be an object {"value": "<User id>"}.');
    return id;
  });
}

/** A group's displayName: 1 to 200 characters. */
export function displayNameOf(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > 200)
    throw invalidValue('displayName must be a string of 1 to 200 characters.');
  return name;
}

/** An externalId (empty means none). */
export function externalIdOf(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > 255)
    throw invalidValue('externalId must be a string of at most 255 characters.');
  return value;
}
