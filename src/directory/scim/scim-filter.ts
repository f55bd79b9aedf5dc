import { invalidFilter } from './scim-errors.js';
import { attribute, urn } from './scim-urns.js';

/** The comparison operators of RFC 7644 §3.4.2.2 (pr is a separate kind). */
const compareOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOp = (typeof compareOps)[number];
/** A literal in a filter: a string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2). `path` is the attribute path in lower case, with the
 * core User/Group schema URN dropped ("name.givenname", "emails.value"; enterprise attributes keep
 * their URN).
 */
export type Filter =
  | { kind: 'compare'; path: string; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: string }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'valuePath'; path: string; filter: Filter };

type Token =
  | { type: '(' | ')' | '[' | ']'; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'word'; value: string; at: number };

const maxLength = 2000;
const maxDepth = 20;
const attrPathPattern = /^(?:urn:[A-Za-z0-9:._-]+:)?[A-Za-z][A-Za-z0-9_$-]*(?:\.[A-Za-z][A-Za-z0-9_$-]*)?$/;
const numberPattern = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const corePrefixes = [urn.user, urn.group].map((u) => `${u.toLowerCase()}:`);

/** An attribute path in lower case without the core schema URN. */
export function normalizeAttrPath(raw: string): string {
  const lower = raw.toLowerCase();
  const prefix = corePrefixes.find((p) => lower.startsWith(p));
  return prefix ? lower.slice(prefix.length) : lower;
}

function readString(text: string, start: number): { value: string; end: number } {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  if (i >= text.length) throw invalidFilter(`The string starting at position ${start + 1} is not closed.`);
  let value: string;
  try {
    value = JSON.parse(text.slice(start, i + 1)) as string;
  } catch {
    throw invalidFilter(`The string starting at position ${start + 1} has an invalid escape.`);
  }
  if (value.includes('\0'))
    throw invalidFilter(`The string starting at position ${start + 1} holds a NUL character.`);
  return { value, end: i + 1 };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i += 1;
    else if (c === '(' || c === ')' || c === '[' || c === ']') tokens.push({ type: c, at: i++ });
    else if (c === '"') {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'string', value, at: i });
      i = end;
    } else {
      const match = /^[^\s()[\]"]+/.exec(text.slice(i))!;
      tokens.push({ type: 'word', value: match[0], at: i });
      i += match[0].length;
    }
  }
  return tokens;
}

/** Parse a SCIM filter; a malformed one is a 400 invalidFilter saying where. */
export function parseFilter(text: string): Filter {
  if (text.length > maxLength) throw invalidFilter(`The filter is longer than ${maxLength} characters.`);
  if (text.trim() === '') throw invalidFilter('The filter is empty.');
  const parser = new FilterParser(tokenize(text));
  const filter = parser.or(0);
  parser.expectEnd();
  return filter;
}

class FilterParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  or(depth: number): Filter {
    let left = this.and(depth);
    while (this.isKeyword('or')) {
      this.i += 1;
      left = { kind: 'or', left, right: this.and(depth) };
    }
    return left;
  }

  expectEnd(): void {
    const t = this.tokens[this.i];
    if (t) throw invalidFilter(`Unexpected ${describe(t)} at position ${t.at + 1}.`);
  }

  private and(depth: number): Filter {
    let left = this.unary(depth);
    while (this.isKeyword('and')) {
      this.i += 1;
      left = { kind: 'and', left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): Filter {
    if (depth > maxDepth) throw invalidFilter(`The filter nests deeper than ${maxDepth} levels.`);
    if (this.isKeyword('not') && this.tokens[this.i + 1]?.type === '(') {
      this.i += 1;
      return { kind: 'not', filter: this.group(depth + 1, '(', ')') };
    }
    if (this.tokens[this.i]?.type === '(') return this.group(depth + 1, '(', ')');
    return this.attributeExpression(depth);
  }

  private group(depth: number, open: '(' | '[', close: ')' | ']'): Filter {
    this.expect(open);
    const inner = this.or(depth);
    this.expect(close);
    return inner;
  }

  private attributeExpression(depth: number): Filter {
    const t = this.next('an attribute name');
    if (t.type !== 'word' || !attrPathPattern.test(t.value))
      throw invalidFilter(`Expected an attribute name at position ${t.at + 1}, found ${describe(t)}.`);
    const path = normalizeAttrPath(t.value);
    if (this.tokens[this.i]?.type === '[')
      return { kind: 'valuePath', path, filter: this.group(depth + 1, '[', ']') };
    const opToken = this.next('an operator');
    const op = opToken.type === 'word' ? opToken.value.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!(compareOps as readonly string[]).includes(op))
      throw invalidFilter(
        `Unknown operator ${describe(opToken)} at position ${opToken.at + 1}; use eq, ne, co, sw, ew, gt, ge, lt, le or pr.`,
      );
    return { kind: 'compare', path, op: op as CompareOp, value: this.value() };
  }

  private value(): FilterValue {
    const t = this.next('a value');
    if (t.type === 'string') return t.value;
    const word = t.type === 'word' ? t.value.toLowerCase() : '';
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (numberPattern.test(word)) return Number(word);
    throw invalidFilter(
      `Expected a value ("quoted string", true, false, null or a number) at position ${t.at + 1}, found ${describe(t)}.`,
    );
  }

  private isKeyword(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.type === 'word' && t.value.toLowerCase() === word;
  }

  private next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw invalidFilter(`The filter ends where ${what} was expected.`);
    this.i += 1;
    return t;
  }

  private expect(type: '(' | ')' | '[' | ']'): void {
    const t = this.next(`"${type}"`);
    if (t.type !== type)
      throw invalidFilter(`Expected "${type}" at position ${t.at + 1}, found ${describe(t)}.`);
  }
}

function describe(t: Token): string {
  if (t.type === 'string') return JSON.stringify(t.value);
  if (t.type === 'word') return `"${t.value}"`;
  return `"${t.type}"`;
}

/**
 * Whether one element of a multi-valued attribute (an email, a group member) matches a value
 * filter, as in `emails[type eq "work"]`. Strings compare case-insensitively.
 */
export function matchesElement(filter: Filter, element: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesElement(filter.left, element) && matchesElement(filter.right, element);
    case 'or':
      return matchesElement(filter.left, element) || matchesElement(filter.right, element);
    case 'not':
      return !matchesElement(filter.filter, element);
    case 'present': {
      const v = attribute(element, filter.path);
      return v !== undefined && v !== null && v !== '';
    }
    case 'compare':
      return compareValue(attribute(element, filter.path), filter.op, filter.value);
    case 'valuePath':
      throw invalidFilter('A value filter cannot contain another one.');
  }
}

function compareValue(actual: unknown, op: CompareOp, expected: FilterValue): boolean {
  if (op === 'eq' || op === 'ne') {
    const same = comparable(actual) === comparable(expected);
    return op === 'eq' ? same : !same;
  }
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  const [a, e] = [actual.toLowerCase(), expected.toLowerCase()];
  if (op === 'co') return a.includes(e);
  if (op === 'sw') return a.startsWith(e);
  if (op === 'ew') return a.endsWith(e);
  if (op === 'gt') return a > e;
  if (op === 'ge') return a >= e;
  if (op === 'lt') return a < e;
  return a <= e;
}

function comparable(value: unknown): unknown {
  if (value === undefined) return null;
  return typeof value === 'string' ? value.toLowerCase() : value;
}
