import type { Profile } from '../../platform/profile.js';
import { normalizeEmail, normalizePhone, textNumbersOnly } from '../contacts.policy.js';
import type { Affiliation } from '../directory.tables.js';

/** One person as a directory feed (CSV row, LDAP entry) describes them, normalised. */
export interface DirectoryRecord {
  institutionalId: string;
  affiliation: Affiliation;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  department: string | null;
  homeBuildingCode: string | null;
  residenceHallCode: string | null;
  preferredLanguage: string;
  /** Normalised addresses; the first email is the primary one. */
  emails: string[];
  /** E.164 mobile numbers: each is reachable by SMS and voice. */
  phones: string[];
  /** E.164 office numbers: called on the office_phones channel, never texted. */
  officePhones: string[];
}

export type FieldName = keyof Profile['directory']['csvColumns'];
export type RecordResult =
  { ok: true; record: DirectoryRecord } | { ok: false; institutionalId: string | null; reasons: string[] };

const idPattern = /^[A-Za-z0-9._@-]{1,100}$/;
const languagePattern = /^[a-z]{2}(-[A-Z]{2})?$/;

/** Split a multi-valued cell ("a@x.edu; b@x.edu") into its values. */
function values(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[;|]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

function text(raw: string | undefined, max = 200): string | null {
  const value = raw?.trim();
  return value ? value.slice(0, max) : null;
}

/** The affiliation a feed value means under the profile, or null. */
function affiliationOf(raw: string | undefined, profile: Profile): Affiliation | null {
  const value = raw?.trim().toLowerCase();
  if (!value) return null;
  const table = profile.directory.affiliationValues;
  for (const affiliation of ['student', 'employee', 'affiliate'] as const) {
    if (table[affiliation].some((v) => v.toLowerCase() === value)) return affiliation;
  }
  return null;
}

/**
 * Turn one feed entry (field name → raw value) into a normalised record, or the reasons it cannot
 * be used. Bad optional values (a malformed phone) are reasons too: the row is reported, and the
 * person it names is left as they are rather than half-updated.
 */
export function recordFromFields(fields: Partial<Record<FieldName, string>>, profile: Profile): RecordResult {
  const reasons: string[] = [];
  const institutionalId = fields.institutionalId?.trim() ?? '';
  if (!idPattern.test(institutionalId))
    reasons.push(
      `institutional id "${institutionalId}" is missing or has characters other than letters, digits, . _ @ -`,
    );
  const affiliation = affiliationOf(fields.affiliation, profile);
  if (!affiliation)
    reasons.push(`affiliation "${fields.affiliation ?? ''}" is not one of the profile's affiliation values`);
  const emails = values(fields.email).map((e) => normalizeEmail(e));
  const region = profile.directory.defaultPhoneRegion;
  const phones = values(fields.mobile).map((p) => normalizePhone(p, region));
  const officePhones = values(fields.officePhone).map((p) => normalizePhone(p, region));
  for (const r of [...emails, ...phones, ...officePhones]) if (!r.ok) reasons.push(r.reason);
  if (emails.length === 0) reasons.push('no email address');
  const language = text(fields.preferredLanguage) ?? 'en';
  if (!languagePattern.test(language)) reasons.push(`language "${language}" is not a code like en or pt-BR`);
  const givenName = text(fields.givenName);
  const familyName = text(fields.familyName);
  const displayName =
    text(fields.displayName, 300) ?? ([givenName, familyName].filter(Boolean).join(' ') || null);
  if (!displayName) reasons.push('no name');
  const office = unique(officePhones.flatMap((p) => (p.ok ? [p.address] : [])));
  if (reasons.length > 0 || !affiliation || !displayName) {
    return { ok: false, institutionalId: idPattern.test(institutionalId) ? institutionalId : null, reasons };
  }
  return {
    ok: true,
    record: {
      institutionalId,
      affiliation,
      givenName,
      familyName,
      displayName,
      department: text(fields.department),
      homeBuildingCode: text(fields.homeBuilding, 40)?.toUpperCase() ?? null,
      residenceHallCode: text(fields.residenceHall, 40)?.toUpperCase() ?? null,
      preferredLanguage: language,
      emails: unique(emails.flatMap((e) => (e.ok ? [e.address] : []))),
      // A number given as both a mobile and an office phone is an office phone: never texted.
      phones: textNumbersOnly(unique(phones.flatMap((p) => (p.ok ? [p.address] : []))), office),
      officePhones: office,
    },
  };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
