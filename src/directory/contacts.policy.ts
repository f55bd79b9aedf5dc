import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Channel, ContactSource } from './directory.tables.js';

export type Normalized = { ok: true; address: string } | { ok: false; reason: string };

// RFC 5321/5322 in the practical form mail systems accept: local@domain, one @, a dotted domain.
const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An email address trimmed, with its domain lower-cased, or why it is not one. */
export function normalizeEmail(raw: string): Normalized {
  const value = raw.trim();
  if (value.length > 254) return { ok: false, reason: 'email address is longer than 254 characters' };
  if (!emailPattern.test(value) || value.split('@')[0]!.startsWith('.') || value.includes('..')) {
    return { ok: false, reason: `"${value}" is not a valid email address` };
  }
  const [local, domain] = value.split('@') as [string, string];
  return { ok: true, address: `${local}@${domain.toLowerCase()}` };
}

/** A phone number in E.164 (numbers without a country code are read in the default region), or why not. */
export function normalizePhone(raw: string, defaultRegion: string): Normalized {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'phone number is empty' };
  const parsed = parsePhoneNumberFromString(value, defaultRegion as CountryCode);
  if (!parsed || !parsed.isPossible())
    return { ok: false, reason: `"${value}" is not a possible phone number` };
  if (!parsed.isValid() && !isReservedFictional(parsed.number)) {
    return { ok: false, reason: `"${value}" is not a valid phone number` };
  }
  return { ok: true, address: parsed.number };
}

/** North American 555-01xx numbers are reserved for fiction (demo campuses and tests use them). */
export function isReservedFictional(e164: string): boolean {
  return /^\+1[2-9]\d{2}55501\d{2}$/.test(e164);
}

/** Normalise an address for its channel. */
export function normalizeAddress(channel: Channel, raw: string, defaultRegion: string): Normalized {
  return channel === 'email' ? normalizeEmail(raw) : normalizePhone(raw, defaultRegion);
}

/**
 * Which contact kinds take text messages: only `sms`. An `office_phone` (a desk number from the
 * directory) is called on the office_phones channel and never texted; fan-out also suppresses any
 * SMS to a number that is someone's office phone.
 */
export function takesTexts(kind: Channel): boolean {
  return kind === 'sms';
}

/**
 * Why a contact cannot join a person's others: the same number as a text contact and an office
 * phone would text an office number. Null when it can.
 */
export function officeNumberConflict(
  contact: { channel: Channel; address: string },
  existing: ReadonlyArray<{ channel: Channel; address: string }>,
): string | null {
  const same = (channel: Channel) =>
    existing.some((c) => c.channel === channel && c.address === contact.address);
  if (takesTexts(contact.channel) && same('office_phone'))
    return 'this number is the person’s office phone: office numbers are called, never texted';
  if (
    contact.channel === 'office_phone' &&
    existing.some((c) => takesTexts(c.channel) && c.address === contact.address)
  )
    return 'this number is the person’s text number: remove that SMS contact first (office numbers are never texted)';
  return null;
}

/** A feed's text numbers without its office numbers: a number given as both is an office phone, never texted. */
export function textNumbersOnly(textNumbers: readonly string[], officeNumbers: readonly string[]): string[] {
  const office = new Set(officeNumbers);
  return textNumbers.filter((n) => !office.has(n));
}

export interface RemovalRule {
  ownerMayRemoveDirectoryEmail: boolean;
  ownerMayRemoveDirectoryPhone: boolean;
}

/**
 * Whether a person may remove one of their own contacts: self-added always; the ones the
 * institution gave (from a feed, or added by an operator) as the profile says.
 */
export function ownerMayRemove(
  contact: { channel: Channel; source: ContactSource },
  rule: RemovalRule,
): boolean {
  if (contact.source === 'self') return true;
  return contact.channel === 'email' ? rule.ownerMayRemoveDirectoryEmail : rule.ownerMayRemoveDirectoryPhone;
}
