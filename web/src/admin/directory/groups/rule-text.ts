import type { GroupRule } from '../directory-types';
import { affiliationLabel } from '../labels';

/** A dynamic group's rule in words: every listed part must match. */
export function ruleText(rule: GroupRule | null): string {
  if (!rule) return '—';
  const parts: string[] = [];
  if (rule.affiliations?.length)
    parts.push(`affiliation ${rule.affiliations.map((a) => affiliationLabel[a]).join(' or ')}`);
  if (rule.departments?.length) parts.push(`department ${rule.departments.join(' or ')}`);
  if (rule.buildingCodes?.length) parts.push(`building or zone ${rule.buildingCodes.join(' or ')}`);
  if (rule.residenceHallCodes?.length) parts.push(`residence hall ${rule.residenceHallCodes.join(' or ')}`);
  return parts.length ? `People with ${parts.join(', and ')}` : '—';
}

/** The values of a list field: split on commas or new lines, trimmed, blanks dropped. */
export function listValues(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
