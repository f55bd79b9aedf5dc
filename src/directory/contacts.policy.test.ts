import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone, ownerMayRemove } from './contacts.policy.js';

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
