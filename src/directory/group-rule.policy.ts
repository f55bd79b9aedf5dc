import { affiliations, type Affiliation, type GroupRule } from './directory.tables.js';

export type RuleCheck = { ok: true; rule: GroupRule } | { ok: false; problems: string[] };

const dimensions = ['affiliations', 'departments', 'buildingCodes', 'residenceHallCodes'] as const;
type Dimension = (typeof dimensions)[number];

/** The most values one dimension of a rule may list. */
const maxRuleValues = 200;
const locationCode = /^[A-Za-z0-9][A-Za-z0-9. -]{0,39}$/;

/**
 * Check a dynamic group's rule and return it in canonical form: values trimmed, de-duplicated and
 * sorted, location codes upper-cased (codes compare case-insensitively). A rule must name at least
 * one dimension, and no dimension may be empty: an empty rule would silently mean "everyone".
 * A code in buildingCodes or residenceHallCodes names a location or a zone (every location in it).
 */
export function checkGroupRule(input: unknown): RuleCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: ['rule must be an object such as {"affiliations": ["student"]}'] };
  }
  const problems: string[] = [];
  const rule: GroupRule = {};
  for (const key of Object.keys(input)) {
    if (!(dimensions as readonly string[]).includes(key))
      problems.push(`rule.${key} is not a known field; a rule lists ${dimensions.join(', ')}`);
  }
  for (const dimension of dimensions) {
    const raw = (input as Record<string, unknown>)[dimension];
    if (raw === undefined) continue;
    const checked = checkValues(dimension, raw);
    if (typeof checked === 'string') problems.push(checked);
    else assign(rule, dimension, checked);
  }
  if (problems.length === 0 && Object.keys(rule).length === 0) {
    problems.push(
      `rule must list at least one of ${dimensions.join(', ')} (to reach everyone, list every affiliation)`,
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rule };
}

function checkValues(dimension: Dimension, raw: unknown): string[] | string {
  if (!Array.isArray(raw)) return `rule.${dimension} must be a list of strings`;
  if (raw.length === 0) return `rule.${dimension} is empty; list at least one value or leave it out`;
  if (raw.length > maxRuleValues) return `rule.${dimension} lists more than ${maxRuleValues} values`;
  const values = new Set<string>();
  for (const value of raw) {
    const problem = valueProblem(dimension, value);
    if (problem) return problem;
    const text = (value as string).trim();
    values.add(
      dimension === 'buildingCodes' || dimension === 'residenceHallCodes' ? text.toUpperCase() : text,
    );
  }
  return [...values].sort();
}

function valueProblem(dimension: Dimension, value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '')
    return `rule.${dimension} must contain only non-blank strings`;
  const text = value.trim();
  if (dimension === 'affiliations' && !(affiliations as readonly string[]).includes(text))
    return `rule.affiliations: "${text}" is not an affiliation; use ${affiliations.join(', ')}`;
  if (dimension === 'departments' && text.length > 200)
    return 'rule.departments: a department name is at most 200 characters';
  if ((dimension === 'buildingCodes' || dimension === 'residenceHallCodes') && !locationCode.test(text))
    return `rule.${dimension}: "${text}" is not a location code (letters, digits, dot, space or dash; up to 40)`;
  return null;
}

function assign(rule: GroupRule, dimension: Dimension, values: string[]): void {
  if (dimension === 'affiliations') rule.affiliations = values as Affiliation[];
  else rule[dimension] = values;
}
