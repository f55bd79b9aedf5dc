import { describe, expect, it } from 'vitest';
import {
  normalizeCode,
  validateRegistration,
  verificationState,
  windowStart,
  type RegistrationInput,
} from './registration.policy.js';

const rules = { defaultRegion: 'US', languages: ['en', 'es'] };
const valid = (over: RegistrationInput = {}) =>
  validateRegistration({ name: 'Ana Ruiz', phone: '617-555-0142', consent: true, ...over }, rules);

describe('validateRegistration', () => {
  it('normalises a US number to E.164 and keeps the email domain lower-cased', () => {
    expect(valid({ email: 'Ana.Ruiz@Example.ORG' })).toEqual({
      ok: true,
      value: {
        name: 'Ana Ruiz',
        language: 'en',
        contacts: [
          { channel: 'email', address: 'Ana.Ruiz@example.org' },
          { channel: 'sms', address: '+16175550142' },
        ],
      },
    });
  });

  it.each<[string, RegistrationInput, string, string]>([
    ['no name', { name: '  ' }, 'name', 'required'],
    ['a name of 201 characters', { name: 'a'.repeat(201) }, 'name', 'too_long'],
    ['a control character in the name', { name: 'Ana\u0007' }, 'name', 'unprintable'],
    ['no address at all', { phone: '', email: '' }, 'email', 'required'],
    ['a malformed email', { email: 'ana@' }, 'email', 'invalid'],
    ['letters for a phone', { phone: 'call me' }, 'phone', 'invalid'],
    ['a UK landline', { phone: '+44 20 7946 0958' }, 'phone', 'landline'],
    ['an unknown language', { language: 'fr' }, 'language', 'unknown'],
    ['no consent', { consent: false }, 'consent', 'required'],
    ['consent as a string', { consent: 'yes' as unknown as boolean }, 'consent', 'required'],
  ])('refuses %s', (_case, input, field, problem) => {
    const result = valid(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ field, problem }));
  });

  it('lists every problem at once', () => {
    const result = validateRegistration({ name: '', email: 'x', consent: false }, rules);
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(['name', 'email', 'consent']);
  });

  it('accepts a foreign mobile with its country code and the fictional 555-01xx numbers', () => {
    expect(valid({ phone: '+34 612 345 678' }).ok).toBe(true);
    expect(valid({ phone: '(212) 555-0199' }).ok).toBe(true);
  });
});

describe('codes and states', () => {
  it.each([
    ['123456', '123456'],
    [' 123 456 ', '123456'],
    ['123-456', '123456'],
    ['12345', null],
    ['1234567', null],
    ['abcdef', null],
    ['１２３４５６', null],
  ])('reads %j as %j', (raw, code) => expect(normalizeCode(raw)).toBe(code));

  const now = new Date('2026-11-21T15:00:00Z');
  it.each([
    [{ status: 'pending' as const, expires_at: null }, 'not_sent'],
    [{ status: 'pending' as const, expires_at: new Date('2026-11-21T15:05:00Z') }, 'pending'],
    [{ status: 'pending' as const, expires_at: now }, 'expired'],
    [{ status: 'locked' as const, expires_at: new Date('2026-11-21T15:05:00Z') }, 'locked'],
    [{ status: 'verified' as const, expires_at: null }, 'verified'],
  ])('%j is %s', (contact, state) => expect(verificationState(contact, now)).toBe(state));

  it('counts in fixed one-hour windows', () => {
    expect(windowStart(new Date('2026-11-21T15:59:59Z'), 3600)).toEqual(new Date('2026-11-21T15:00:00Z'));
  });
});
