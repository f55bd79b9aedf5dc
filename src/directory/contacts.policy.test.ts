import { describe, expect, it } from 'vitest';
import {
  normalizeAddress,
  normalizeEmail,
  normalizePhone,
  officeNumberConflict,
  ownerMayRemove,
  takesTexts,
  textNumbersOnly,
} from './contacts.policy.js';

describe('contact normalisation', () => {
  it.each([
    ['(617) 253-1212', '+16172531212'],
    ['617.253.1212', '+16172531212'],
    ['+1 617 253 1212', '+16172531212'],
    ['617-555-0123', '+16175550123'],
    ['+44 20 7946 0018', '+442079460018'],
  ])('reads phone %s as %s', (raw, e164) => {
    expect(normalizePhone(raw, 'US')).toEqual({ ok: true, address: e164 });
  });

  it.each(['12', 'call me', '617-253-121', '+1 000 000 0000'])('rejects phone %s with a reason', (raw) => {
    const r = normalizePhone(raw, 'US');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/phone number/);
  });

  it.each([
    [' Alice@MIT.EDU ', 'Alice@mit.edu'],
    ['first.last+alerts@dept.example.edu', 'first.last+alerts@dept.example.edu'],
  ])('reads email %s as %s', (raw, email) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, address: email });
  });

  it.each(['alice', 'alice@', '@mit.edu', 'a..b@mit.edu', 'alice@mit', 'a b@mit.edu', '.a@mit.edu'])(
    'rejects email %s',
    (raw) => {
      expect(normalizeEmail(raw).ok).toBe(false);
    },
  );
});

describe('who may remove a contact', () => {
  const mit = { ownerMayRemoveDirectoryEmail: false, ownerMayRemoveDirectoryPhone: true };
  it.each([
    ['email', 'directory', false],
    ['email', 'self', true],
    ['sms', 'directory', true],
    ['voice', 'self', true],
  ] as const)('a %s contact from %s: %s', (channel, source, allowed) => {
    expect(ownerMayRemove({ channel, source }, mit)).toBe(allowed);
  });
});

describe('office phones are called, never texted', () => {
  it.each([
    ['sms', true],
    ['voice', false],
    ['email', false],
    ['office_phone', false],
  ] as const)('%s takes texts: %s', (kind, expected) => {
    expect(takesTexts(kind)).toBe(expected);
  });

  it('normalises an office number to E.164 like any phone', () => {
    expect(normalizeAddress('office_phone', '(617) 253-1212', 'US')).toEqual({
      ok: true,
      address: '+16172531212',
    });
    expect(normalizeAddress('office_phone', 'x3-1212', 'US').ok).toBe(false);
  });

  const office = { channel: 'office_phone' as const, address: '+16172531212' };
  const mobile = { channel: 'sms' as const, address: '+16175550123' };
  it.each([
    [
      'a text contact on the office number',
      { channel: 'sms', address: office.address },
      [office],
      /office phone/,
    ],
    [
      'an office phone on the text number',
      { channel: 'office_phone', address: mobile.address },
      [mobile],
      /SMS contact/,
    ],
    ['a voice contact on the office number', { channel: 'voice', address: office.address }, [office], null],
    ['a second office phone', { channel: 'office_phone', address: '+16172530000' }, [office, mobile], null],
    ['a text contact on another number', { channel: 'sms', address: '+16175550199' }, [office], null],
  ] as const)('%s', (_, contact, existing, problem) => {
    const found = officeNumberConflict(contact, existing);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('drops a feed’s office numbers from its text numbers', () => {
    expect(textNumbersOnly(['+16175550123', '+16172531212'], ['+16172531212'])).toEqual(['+16175550123']);
  });
});
