import type { DirectoryRecord } from './directory-record.js';

/** A person the feed manages, as the database holds them now: the feed's fields plus id and status. */
export interface ExistingPerson extends DirectoryRecord {
  id: string;
  status: 'active' | 'inactive';
}

interface PersonChange {
  id: string;
  record: DirectoryRecord;
  fields: string[];
}

export interface DirectoryDiff {
  adds: DirectoryRecord[];
  changes: PersonChange[];
  deactivations: ExistingPerson[];
  unchanged: number;
}

const compared = [
  'affiliation',
  'givenName',
  'familyName',
  'displayName',
  'department',
  'homeBuildingCode',
  'residenceHallCode',
  'preferredLanguage',
] as const;

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The fields of a person that differ from the feed's record ("status" when they come back). */
function changedFields(existing: ExistingPerson, record: DirectoryRecord): string[] {
  const fields: string[] = compared.filter((f) => (existing[f] ?? null) !== (record[f] ?? null));
  if (!sameSet(existing.emails, record.emails) || existing.emails[0] !== record.emails[0])
    fields.push('emails');
  if (!sameSet(existing.phones, record.phones)) fields.push('phones');
  if (!sameSet(existing.officePhones, record.officePhones)) fields.push('officePhones');
  if (existing.status === 'inactive') fields.push('status');
  return fields;
}

/**
 * What a full export changes: people to add, people whose data changed (or who come back), and
 * active people the file no longer lists. People in `held` (rows that could not be read) are never
 * deactivated: a bad row must not unenrol anyone.
 */
export function diffDirectory(
  existing: ExistingPerson[],
  records: DirectoryRecord[],
  held: string[] = [],
): DirectoryDiff {
  const byId = new Map(existing.map((p) => [p.institutionalId.toLowerCase(), p]));
  const listed = new Set([
    ...records.map((r) => r.institutionalId.toLowerCase()),
    ...held.map((h) => h.toLowerCase()),
  ]);
  const diff: DirectoryDiff = { adds: [], changes: [], deactivations: [], unchanged: 0 };
  for (const record of records) {
    const current = byId.get(record.institutionalId.toLowerCase());
    if (!current) {
      diff.adds.push(record);
      continue;
    }
    const fields = changedFields(current, record);
    if (fields.length > 0) diff.changes.push({ id: current.id, record, fields });
    else diff.unchanged += 1;
  }
  for (const person of existing) {
    if (person.status === 'active' && !listed.has(person.institutionalId.toLowerCase()))
      diff.deactivations.push(person);
  }
  return diff;
}

export interface BrakeVerdict {
  allowed: boolean;
  percent: number;
  message: string | null;
}

/**
 * The safety brake: a file that would deactivate more than the configured share of the people this
 * feed manages is refused unless forced (a truncated export must not unenrol the campus).
 */
export function brakeVerdict(
  deactivations: number,
  activeCount: number,
  maxPercent: number,
  forced: boolean,
): BrakeVerdict {
  const percent = activeCount === 0 ? 0 : (deactivations / activeCount) * 100;
  if (percent <= maxPercent || forced) return { allowed: true, percent, message: null };
  return {
    allowed: false,
    percent,
    message: `Refused: the file would deactivate ${deactivations} of ${activeCount} active people (${percent.toFixed(1)}%), more than the ${maxPercent}% the profile allows. Check the export is complete, or force the sync.`,
  };
}
