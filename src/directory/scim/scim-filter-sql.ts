import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalidFilter } from './scim-errors.js';
import type { CompareOp, Filter, FilterValue } from './scim-filter.js';

type Sql = RawBuilder<unknown>;
type Condition = RawBuilder<SqlBool>;

/** How one filterable attribute reads in SQL. */
type FilterColumn =
  | { type: 'string'; column: Sql; caseExact: boolean }
  | { type: 'dateTime'; column: Sql }
  | { type: 'id'; column: Sql }
  | { type: 'active'; column: Sql }
  | { type: 'multi'; exists: (inner: Condition) => Condition; columns: FilterColumns };

/** The filterable attributes of a resource type, by lower-case path. */
export type FilterColumns = Record<string, FilterColumn>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A SQL condition for a parsed filter. Case-insensitive attributes compare `lower(column)` so the
 * expression indexes of migrations 0004/0005 apply; values are always bound parameters.
 */
export function filterCondition(filter: Filter, columns: FilterColumns): Condition {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${filterCondition(filter.left, columns)} and ${filterCondition(filter.right, columns)})`;
    case 'or':
      return sql<SqlBool>`(${filterCondition(filter.left, columns)} or ${filterCondition(filter.right, columns)})`;
    case 'not':
      // A comparison on a missing value is NULL in SQL; "not" must count it as not matching.
      return sql<SqlBool>`not coalesce(${filterCondition(filter.filter, columns)}, false)`;
    case 'valuePath': {
      const multi = lookup(columns, filter.path);
      if (multi.type !== 'multi') throw invalidFilter(`"${filter.path}" is not a multi-valued attribute.`);
      return multi.exists(filterCondition(filter.filter, multi.columns));
    }
    case 'present':
      return present(lookup(columns, filter.path));
    case 'compare':
      return compare(lookup(columns, filter.path), filter.path, filter.op, filter.value);
  }
}

function lookup(columns: FilterColumns, path: string): FilterColumn {
  const direct = columns[path];
  if (direct) return direct;
  const dot = path.indexOf('.');
  const multi = dot > 0 ? columns[path.slice(0, dot)] : undefined;
  if (multi?.type === 'multi') {
    const sub = lookup(multi.columns, path.slice(dot + 1));
    return { ...multi, columns: { value: sub } };
  }
  throw invalidFilter(
    `Filtering on "${path}" is not supported; use one of: ${Object.keys(columns).join(', ')}.`,
  );
}

function present(c: FilterColumn): Condition {
  if (c.type === 'multi') return c.exists(present(c.columns.value!));
  if (c.type === 'string') return sql<SqlBool>`(${c.column} is not null and ${c.column} <> '')`;
  return sql<SqlBool>`${c.column} is not null`;
}

function compare(c: FilterColumn, path: string, op: CompareOp, value: FilterValue): Condition {
  if (c.type === 'multi') return c.exists(compare(c.columns.value!, `${path}.value`, op, value));
  if (value === null) return compareNull(c, path, op);
  if (c.type === 'string') return compareString(c, path, op, value);
  if (c.type === 'dateTime') return compareDate(c.column, path, op, value);
  if (c.type === 'id') return compareId(c.column, path, op, value);
  return compareActive(c.column, path, op, value);
}

function compareNull(c: FilterColumn, path: string, op: CompareOp): Condition {
  if (op === 'eq') return sql<SqlBool>`not ${present(c)}`;
  if (op === 'ne') return present(c);
  throw invalidFilter(`"${path} ${op} null" is not a comparison; use eq null, ne null or pr.`);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const sqlOps: Partial<Record<CompareOp, string>> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function compareString(
  c: { column: Sql; caseExact: boolean },
  path: string,
  op: CompareOp,
  value: FilterValue,
): Condition {
  if (typeof value !== 'string')
    throw invalidFilter(`"${path}" is a string attribute: compare it with a "quoted string".`);
  const column = c.caseExact ? c.column : sql`lower(${c.column})`;
  const bound = c.caseExact ? sql`${value}` : sql`lower(${value})`;
  if (op === 'ne') return sql<SqlBool>`(${c.column} is null or ${column} <> ${bound})`;
  const pattern = { co: `%${likeEscape(value)}%`, sw: `${likeEscape(value)}%`, ew: `%${likeEscape(value)}` }[
    op as 'co' | 'sw' | 'ew'
  ];
  if (pattern !== undefined) {
    const bounded = c.caseExact ? sql`${pattern}` : sql`lower(${pattern})`;
    return sql<SqlBool>`${column} like ${bounded}`;
  }
  return sql<SqlBool>`${column} ${sql.raw(sqlOps[op]!)} ${bound}`;
}

function compareDate(column: Sql, path: string, op: CompareOp, value: FilterValue): Condition {
  const when = typeof value === 'string' ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime()))
    throw invalidFilter(`"${path}" is a date-time: compare it with a quoted ISO 8601 time.`);
  if (op === 'ne') return sql<SqlBool>`${column} <> ${when}`;
  const sqlOp = sqlOps[op];
  if (!sqlOp) throw invalidFilter(`"${path}" is a date-time: use eq, ne, gt, ge, lt or le.`);
  return sql<SqlBool>`${column} ${sql.raw(sqlOp)} ${when}`;
}

function compareId(column: Sql, path: string, op: CompareOp, value: FilterValue): Condition {
  if (typeof value !== 'string' || (op !== 'eq' && op !== 'ne'))
    throw invalidFilter(`"${path}" can only be compared with eq or ne and a "quoted id".`);
  // An id that is not a UUID names no resource (and must not reach PostgreSQL's uuid parser).
  if (!uuidPattern.test(value)) return op === 'eq' ? sql<SqlBool>`false` : sql<SqlBool>`true`;
  return op === 'eq' ? sql<SqlBool>`${column} = ${value}` : sql<SqlBool>`${column} <> ${value}`;
}

function compareActive(column: Sql, path: string, op: CompareOp, value: FilterValue): Condition {
  // Entra ID writes booleans as strings ("False"); accept them in filters too.
  const flag =
    typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value;
  if (typeof flag !== 'boolean' || (op !== 'eq' && op !== 'ne'))
    throw invalidFilter(`"${path}" is a boolean: use "${path} eq true" or "${path} eq false".`);
  const wanted = flag === (op === 'eq') ? 'active' : 'inactive';
  return sql<SqlBool>`${column} = ${wanted}`;
}
