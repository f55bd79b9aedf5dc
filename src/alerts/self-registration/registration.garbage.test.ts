import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { signLinkToken } from '../../platform/link-tokens.js';
import { freshIp } from './registration.test-support.js';

let sys: TestSystem;
let forgedButSigned: string;
beforeAll(async () => {
  sys = await startTestSystem();
  // Signed for the right purpose over ids that are not rows (or not uuids at all).
  forgedButSigned = await signLinkToken(sys.ctx.db, 'verify_email', "x'; drop table people; --");
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const id = '00000000-0000-4000-8000-000000000000';
const json = (url: string, payload: unknown): InjectOptions => ({
  method: 'POST',
  url,
  payload: payload as string,
});
const form = (url: string, payload: string): InjectOptions => ({
  method: 'POST',
  url,
  payload,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const requests: Array<[string, () => InjectOptions]> = [
  ['an empty registration', () => json('/api/v1/registrations', {})],
  ['a number for a name', () => json('/api/v1/registrations', { name: 5, consent: true })],
  [
    'consent as text',
    () => json('/api/v1/registrations', { name: 'x', phone: '6175550101', consent: 'yes' }),
  ],
  ['an unknown field', () => json('/api/v1/registrations', { name: 'x', consent: true, admin: true })],
  [
    'a NUL in the name',
    () => json('/api/v1/registrations', { name: 'a\u0000b', email: 'a@b.org', consent: true }),
  ],
  [
    'a lone surrogate',
    () => json('/api/v1/registrations', { name: '\uD800', email: 'a@b.org', consent: true }),
  ],
  ['a 100 kB name', () => json('/api/v1/registrations', { name: 'a'.repeat(100_000), consent: true })],
  ['an array body', () => json('/api/v1/registrations', [1, 2, 3])],
  ['a nested object', () => json('/api/v1/registrations', { name: { $ne: 1 }, consent: true })],
  ['emoji in the phone', () => json('/api/v1/registrations', { name: 'x', phone: '📞📞📞', consent: true })],
  [
    'a header injection in the email',
    () => json('/api/v1/registrations', { name: 'x', email: 'a@b.org\r\nBcc: c@d.org', consent: true }),
  ],
  [
    'broken JSON',
    () => ({
      method: 'POST',
      url: '/api/v1/registrations',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    }),
  ],
  [
    'XML',
    () => ({
      method: 'POST',
      url: '/api/v1/registrations',
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    }),
  ],
  [
    'a code for a registration id that is not a uuid',
    () => json('/api/v1/registrations/1%27%20or%201=1/verify-sms', { code: '123456' }),
  ],
  [
    'a code for an unknown registration',
    () => json(`/api/v1/registrations/${id}/verify-sms`, { code: '123456' }),
  ],
  ['letters for a code', () => json(`/api/v1/registrations/${id}/verify-sms`, { code: 'abcdef' })],
  ['a code as an object', () => json(`/api/v1/registrations/${id}/verify-sms`, { code: { a: 1 } })],
  ['a resend by fax', () => json(`/api/v1/registrations/${id}/resend`, { channel: 'fax' })],
  ['a resend of nothing', () => json(`/api/v1/registrations/${id}/resend`, { channel: 'sms' })],
  ['the form with nothing', () => form('/register', '')],
  ['the form with repeated fields', () => form('/register', 'name=a&name=b&consent=yes&consent=no')],
  ['the form with a bad percent-encoding', () => form('/register', 'name=%E0%A4%A&consent=yes')],
  [
    'the form in an unknown language',
    () => form('/register?lang=xx', 'name=a&email=a@b.org&consent=yes&language=zz'),
  ],
  ['a page for a registration that is not a uuid', () => ({ method: 'GET', url: '/register/..%2F..%2Fetc' })],
  ['a page for an unknown registration', () => ({ method: 'GET', url: `/register/${id}` })],
  ['a code form for an unknown registration', () => form(`/register/${id}/code`, 'code=123456')],
  ['a resend form for an unknown channel', () => form(`/register/${id}/resend`, 'channel=pigeon')],
  ['an email link that is garbage', () => ({ method: 'GET', url: '/register/verify-email/%00%01' })],
  [
    'an email link signed over garbage',
    () => ({ method: 'GET', url: `/register/verify-email/${forgedButSigned}` }),
  ],
  [
    'a confirmation of a link signed over garbage',
    () => form(`/register/verify-email/${forgedButSigned}`, 'action=confirm'),
  ],
  ['a 500-character link', () => ({ method: 'GET', url: `/register/verify-email/${'a'.repeat(500)}` })],
  ['an unsubscribe link that is garbage', () => ({ method: 'GET', url: '/unsubscribe/not.a-token' })],
  [
    'an unsubscribe POST that is garbage',
    () => form('/unsubscribe/AAAA.BBBBBBBBBBBBBBBBBBBBBBBB', 'scope=all'),
  ],
  [
    'an unsubscribe link for another purpose',
    () => ({ method: 'GET', url: `/unsubscribe/${forgedButSigned}` }),
  ],
  ['the outbox without a token', () => ({ method: 'GET', url: '/api/v1/registrations/outbox?limit=-1' })],
];

describe('garbage input', () => {
  it.each(requests)('answers %s with a 4xx (or a page), never a 5xx', async (_name, build) => {
    const response = await sys.app!.inject({ ...build(), remoteAddress: freshIp() });
    expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
    expect(response.statusCode).toBeGreaterThanOrEqual(200);
  });

  it('says what was wrong with a registration, field by field', async () => {
    const response = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      payload: { name: '', email: 'nope', phone: '12', consent: false },
      remoteAddress: freshIp(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'name',
      'email',
      'phone',
      'consent',
    ]);
    expect(response.json().error.message).toMatch(
      /^The registration is incomplete\. name: Enter your name\./,
    );
  });
});
