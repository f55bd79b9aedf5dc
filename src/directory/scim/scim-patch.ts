import { invalidPath, invalidSyntax, mutability, noTarget } from './scim-errors.js';
import { matchesElement, parseFilter, type Filter } from './scim-filter.js';
import { attribute, isObject, urn } from './scim-urns.js';

/** One PATCH operation (RFC 7644 §3.5.2), op already lower-cased. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string | null;
  value: unknown;
}

const maxOperations = 1000;

/** The operations of a PatchOp body. Op names match in any case ("Replace", as Entra ID sends). */
export function patchOperations(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The body must be a SCIM PatchOp message (a JSON object).');
  const operations = attribute(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0)
    throw invalidSyntax('Operations must be a non-empty array of {"op", "path", "value"} objects.');
  if (operations.length > maxOperations)
    throw invalidSyntax(`A PATCH may carry at most ${maxOperations} operations.`);
  return operations.map((raw: unknown, i) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object.`);
    const op = attribute(raw, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name !== 'add' && name !== 'replace' && name !== 'remove')
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove, not ${JSON.stringify(op)}.`);
    const path = attribute(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string')
      throw invalidPath(`Operations[${i}].path must be a string.`);
    const value = attribute(raw, 'value');
    if (name !== 'remove' && value === undefined)
      throw invalidSyntax(`Operations[${i}] (${name}) needs a value.`);
    return { op: name, path: path ? path.trim() : null, value };
  });
}

type Kind = 'simple' | 'complex' | 'multi' | 'ignored' | 'readOnly';
interface Spec {
  name: string;
  kind: Kind;
  subs?: string[];
}
type Holder = Record<string, unknown>;

const elementSubs = ['value', 'type', 'primary', 'display'];
const nameSubs = ['givenName', 'familyName', 'formatted', 'middleName', 'honorificPrefix', 'honorificSuffix'];
const spec = (kind: Kind, subs?: string[]) => (name: string) => ({ name, kind, subs });

// Attributes of the User schemas. "ignored" ones are standard but Tocsin does not keep them (Entra
// ID's default mappings send title and addresses): they are accepted and dropped, not refused.
const coreAttributes: Spec[] = [
  ...['userName', 'externalId', 'displayName', 'userType', 'preferredLanguage', 'active'].map(spec('simple')),
  { name: 'name', kind: 'complex', subs: nameSubs },
  ...['emails', 'phoneNumbers'].map(spec('multi', elementSubs)),
  ...['nickName', 'profileUrl', 'title', 'locale', 'timezone', 'password'].map(spec('ignored')),
  ...['ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'].map(spec('ignored')),
  ...['id', 'meta', 'groups', 'schemas'].map(spec('readOnly')),
];
const enterpriseAttributes: Spec[] = [
  { name: 'department', kind: 'simple' },
  ...['employeeNumber', 'costCenter', 'organization', 'division', 'manager'].map(spec('ignored')),
];
const extensionUrns = [urn.enterpriseUser, urn.user];

interface Target {
  spec: Spec;
  extension: boolean;
  filter: Filter | null;
  sub: string | null;
}

/** Apply PATCH operations to a SCIM User resource; returns the patched copy (the input is untouched). */
export function applyUserPatch(resource: Holder, operations: PatchOperation[]): Holder {
  const doc = structuredClone(resource);
  for (const operation of operations) {
    const wholeUrn = extensionUrns.find((u) => u.toLowerCase() === operation.path?.toLowerCase());
    if (operation.path === null || wholeUrn) applyValueObject(doc, operation, wholeUrn ? `${wholeUrn}:` : '');
    else applyAt(doc, operation.op, operation.path, operation.value);
  }
  return doc;
}

/** A path-less operation: each key of the value is a path ("active", "name.givenName", "urn:…:department"). */
function applyValueObject(doc: Holder, operation: PatchOperation, prefix: string): void {
  if (operation.op === 'remove') {
    if (prefix === `${urn.enterpriseUser}:`) delete doc[urn.enterpriseUser];
    else if (prefix === '') throw noTarget('A remove operation needs a path saying what to remove.');
    return;
  }
  if (!isObject(operation.value))
    throw invalidSyntax('An operation without a path needs an object value of attributes.');
  for (const [key, value] of Object.entries(operation.value)) {
    const nested = extensionUrns.find((u) => u.toLowerCase() === key.toLowerCase());
    if (nested && prefix === '') applyValueObject(doc, { ...operation, value }, `${nested}:`);
    else if (isReadOnly(prefix + key)) continue;
    else applyAt(doc, operation.op, prefix + key, value);
  }
}

function isReadOnly(path: string): boolean {
  const name = path.toLowerCase();
  return coreAttributes.some((s) => s.kind === 'readOnly' && s.name.toLowerCase() === name);
}

function applyAt(doc: Holder, op: PatchOperation['op'], path: string, value: unknown): void {
  const target = resolveTarget(path);
  if (target.spec.kind === 'ignored') return;
  if (target.spec.kind === 'readOnly') throw mutability(`"${path}" is read-only.`);
  const holder = holderOf(doc, target.extension, op !== 'remove');
  if (!holder) return;
  const name = target.spec.name;
  if (target.spec.kind === 'multi') return applyMulti(holder, target, op, value);
  if (target.spec.kind === 'complex') return applyComplex(holder, target, op, value);
  if (target.filter || target.sub) throw invalidPath(`"${path}" has no sub-attributes.`);
  if (op === 'remove') delete holder[name];
  else holder[name] = value;
}

function holderOf(doc: Holder, extension: boolean, create: boolean): Holder | null {
  if (!extension) return doc;
  const existing = doc[urn.enterpriseUser];
  if (isObject(existing)) return existing;
  if (!create) return null;
  const made: Holder = {};
  doc[urn.enterpriseUser] = made;
  return made;
}

const pathPattern = /^([A-Za-z][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$-]*))?$/s;

/** Resolve "emails[type eq \"work\"].value" or "urn:…:enterprise:2.0:User:department" to an attribute. */
function resolveTarget(path: string): Target {
  const lower = path.toLowerCase();
  const schema = extensionUrns.find((u) => lower.startsWith(`${u.toLowerCase()}:`));
  if (!schema && lower.startsWith('urn:'))
    throw invalidPath(`"${path}" names a schema Tocsin does not support.`);
  const rest = schema ? path.slice(schema.length + 1) : path;
  const match = pathPattern.exec(rest);
  if (!match) throw invalidPath(`"${path}" is not a valid attribute path.`);
  const extension = schema === urn.enterpriseUser;
  const specs = extension ? enterpriseAttributes : coreAttributes;
  const found = specs.find((s) => s.name.toLowerCase() === match[1]!.toLowerCase());
  if (!found) throw invalidPath(`"${path}" is not an attribute of Tocsin's SCIM User.`);
  if (found.kind === 'ignored') return { spec: found, extension, filter: null, sub: null };
  const sub = match[3] ? canonicalSub(found, match[3], path) : null;
  if (match[2] && found.kind !== 'multi')
    throw invalidPath(`"${path}": only multi-valued attributes take [filters].`);
  return { spec: found, extension, filter: match[2] ? parseFilter(match[2]) : null, sub };
}

function canonicalSub(found: Spec, sub: string, path: string): string {
  const name = found.subs?.find((s) => s.toLowerCase() === sub.toLowerCase());
  if (!name) throw invalidPath(`"${path}": ${found.name} has no sub-attribute "${sub}".`);
  return name;
}

/** An object's keys renamed to the attribute's sub-attribute names ({"Value": …} → {"value": …}). */
function canonicalKeys(found: Spec, value: unknown, path: string): Holder {
  if (!isObject(value)) throw invalidSyntax(`The value for "${path}" must be an object.`);
  const out: Holder = {};
  for (const [key, v] of Object.entries(value)) {
    const known = found.subs?.find((s) => s.toLowerCase() === key.toLowerCase());
    if (!known && found.kind === 'complex') throw invalidPath(`${found.name} has no sub-attribute "${key}".`);
    out[known ?? key] = v;
  }
  return out;
}

function applyComplex(holder: Holder, target: Target, op: PatchOperation['op'], value: unknown): void {
  const name = target.spec.name;
  const current = isObject(holder[name]) ? (holder[name] as Holder) : {};
  if (target.sub) {
    if (op === 'remove') delete current[target.sub];
    else current[target.sub] = value;
    holder[name] = current;
  } else if (op === 'remove') delete holder[name];
  else holder[name] = { ...current, ...canonicalKeys(target.spec, value, name) };
}

function applyMulti(holder: Holder, target: Target, op: PatchOperation['op'], value: unknown): void {
  const name = target.spec.name;
  const list = (Array.isArray(holder[name]) ? holder[name] : []).filter(isObject) as Holder[];
  const selected = target.filter ? list.filter((e) => matchesElement(target.filter!, e)) : list;
  if (op === 'remove') {
    holder[name] = removeFrom(list, selected, target, value);
    return;
  }
  if (!target.filter && !target.sub) {
    const added = elementsOf(target.spec, value);
    holder[name] = op === 'add' ? [...list, ...added] : added;
    singlePrimary(holder[name] as Holder[], added);
    return;
  }
  const changes: Holder = target.sub ? { [target.sub]: value } : canonicalKeys(target.spec, value, name);
  if (selected.length === 0) {
    const element = { ...elementFromFilter(target.filter, name), ...changes };
    holder[name] = [...list, element];
    singlePrimary(holder[name] as Holder[], [element]);
    return;
  }
  for (const element of selected) Object.assign(element, changes);
  holder[name] = list;
  singlePrimary(list, selected);
}

function removeFrom(list: Holder[], selected: Holder[], target: Target, value: unknown): Holder[] {
  if (target.sub && target.sub !== 'value') {
    for (const element of selected) delete element[target.sub];
    return list;
  }
  if (!target.filter && Array.isArray(value)) {
    const values = new Set(elementsOf(target.spec, value).map((e) => String(e.value).toLowerCase()));
    return list.filter((e) => !values.has(String(e.value).toLowerCase()));
  }
  return list.filter((e) => !selected.includes(e));
}

function elementsOf(found: Spec, value: unknown): Holder[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => canonicalKeys(found, item, found.name));
}

/** The element a filter like `type eq "work"` describes, for a replace that finds none to change. */
function elementFromFilter(filter: Filter | null, name: string): Holder {
  if (filter === null) return {};
  if (filter.kind === 'compare' && filter.op === 'eq') return { [filter.path]: filter.value };
  if (filter.kind === 'and')
    return { ...elementFromFilter(filter.left, name), ...elementFromFilter(filter.right, name) };
  throw noTarget(`No ${name} value matches the filter, and it does not say what a new one would be.`);
}

/** RFC 7643 §2.4: at most one primary value; the one just written wins. */
function singlePrimary(list: Holder[], written: Holder[]): void {
  const isPrimary = (e: Holder) => e.primary === true || String(e.primary).toLowerCase() === 'true';
  const winner = written.find(isPrimary);
  if (!winner) return;
  for (const element of list) if (element !== winner && 'primary' in element) element.primary = false;
}
