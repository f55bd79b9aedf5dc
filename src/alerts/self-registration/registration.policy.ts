import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { normalizeEmail, normalizePhone } from '../../directory/contacts.policy.js';
import type { RegistrationChannel, RegistrationContactStatus } from './self-registration.tables.js';

/** How long an SMS code works, how many wrong codes lock it, how long an email link works. */
export const codeLifetimeMinutes = 10;
export const maxCodeAttempts = 5;
export const emailLinkLifetimeHours = 24;
/** Unverified registrations (and their outbox messages) are deleted this long after they were made. */
export const unverifiedRetentionHours = 48;

/**
 * Throttles on anonymous requests, per fixed one-hour window. The global cap bounds what an
 * attacker can spend on SMS (toll fraud by "SMS pumping") whatever addresses they rotate through.
 */
export const registrationLimits = {
  windowSeconds: 3600,
  registrationsPerIp: 5,
  messagesPerAddress: 3,
  registrationsGlobal: 300,
  verificationAttemptsPerIp: 30,
} as const;

export interface RegistrationInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  consent?: boolean | null;
}

interface ValidRegistration {
  name: string;
  language: string;
  contacts: Array<{ channel: RegistrationChannel; address: string }>;
}

type RegistrationField = 'name' | 'email' | 'phone' | 'language' | 'consent';
/** A problem with one field: a stable code (pages translate it) and the English message. */
export interface FieldProblem {
  field: RegistrationField;
  problem: 'required' | 'too_long' | 'unprintable' | 'invalid' | 'landline' | 'unknown';
  message: string;
}

export type Validated = { ok: true; value: ValidRegistration } | { ok: false; problems: FieldProblem[] };

// eslint-disable-next-line no-control-regex -- the point is to refuse control characters in a name.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;

/**
 * Check a registration and normalise it (E.164 phone in the profile's default region, email with
 * its domain lower-cased), listing every problem with the field it belongs to.
 */
export function validateRegistration(
  input: RegistrationInput,
  rules: { defaultRegion: string; languages: readonly string[] },
): Validated {
  const problems: FieldProblem[] = [];
  const name = (input.name ?? '').trim().replace(/\s+/gu, ' ');
  if (name === '') problems.push({ field: 'name', problem: 'required', message: 'Enter your name.' });
  else if (name.length > 200)
    problems.push({ field: 'name', problem: 'too_long', message: 'Use at most 200 characters.' });
  else if (controlCharacters.test(name))
    problems.push({
      field: 'name',
      problem: 'unprintable',
      message: 'The name contains characters that cannot be shown.',
    });
  const contacts: ValidRegistration['contacts'] = [];
  const email = (input.email ?? '').trim();
  if (email !== '') {
    const result = normalizeEmail(email);
    if (result.ok) contacts.push({ channel: 'email', address: result.address });
    else
      problems.push({
        field: 'email',
        problem: 'invalid',
        message: 'Enter an email address like name@example.com.',
      });
  }
  const phone = (input.phone ?? '').trim();
  if (phone !== '') {
    const result = normalizeMobile(phone, rules.defaultRegion);
    if (result.ok) contacts.push({ channel: 'sms', address: result.address });
    else
      problems.push({
        field: 'phone',
        problem: result.landline ? 'landline' : 'invalid',
        message: result.reason,
      });
  }
  if (email === '' && phone === '')
    problems.push({
      field: 'email',
      problem: 'required',
      message: 'Give an email address, a mobile number, or both.',
    });
  const language = (input.language ?? '').trim() || rules.languages[0]!;
  if (!rules.languages.includes(language))
    problems.push({
      field: 'language',
      problem: 'unknown',
      message: `Choose one of: ${rules.languages.join(', ')}.`,
    });
  if (input.consent !== true)
    problems.push({
      field: 'consent',
      problem: 'required',
      message: 'Agree to receive alerts (consent: true) to register.',
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { name, language, contacts } };
}

/** A number that can receive texts, in E.164, or what to fix (not a number, or a landline). */
function normalizeMobile(
  raw: string,
  defaultRegion: string,
): { ok: true; address: string } | { ok: false; reason: string; landline: boolean } {
  const result = normalizePhone(raw, defaultRegion);
  if (!result.ok)
    return {
      ok: false,
      landline: false,
      reason: 'Enter a mobile number, with the country code (+44 …) if it is not in the US.',
    };
  const type = parsePhoneNumberFromString(result.address, defaultRegion as CountryCode)?.getType();
  if (type === 'FIXED_LINE')
    return {
      ok: false,
      landline: true,
      reason: 'This looks like a landline: enter a mobile number that can receive texts.',
    };
  return result;
}

/** What a six-digit code answer looks like (spaces and dashes people type are ignored). */
export function normalizeCode(raw: string): string | null {
  const digits = raw.replace(/[\s-]/gu, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

export type VerificationState = RegistrationContactStatus | 'expired' | 'not_sent';

/** Where one address stands now: its stored status, or expired/not yet sent while pending. */
export function verificationState(
  contact: { status: RegistrationContactStatus; expires_at: Date | null },
  now: Date,
): VerificationState {
  if (contact.status !== 'pending') return contact.status;
  if (contact.expires_at === null) return 'not_sent';
  return contact.expires_at.getTime() <= now.getTime() ? 'expired' : 'pending';
}

/** The start of the fixed throttle window holding `now`. */
export function windowStart(now: Date, windowSeconds: number): Date {
  const size = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / size) * size);
}

/** Whether a string is a UUID as PostgreSQL prints it (ids from signed links are checked before use). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}
