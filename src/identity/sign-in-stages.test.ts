import { describe, expect, it } from 'vitest';
import { landingFor, nextQuery, safeNext } from './sign-in-stages.js';

describe('where the sign-in pages may send an operator next', () => {
  it.each<[string, unknown, string | null]>([
    ['the plain send form', '/send', '/send'],
    ['an alert’s page with a query', '/send/alerts/5d0c?done=sent', '/send/alerts/5d0c?done=sent'],
    ['a console screen', '/console/alerts', '/console/alerts'],
    ['encoded slashes (a local path to the browser)', '/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['another host, scheme-relative', '//evil.example/send', null],
    ['another host with a scheme', 'https://evil.example/send', null],
    ['a javascript: URL', 'javascript:alert(1)', null],
    ['a backslash a browser reads as a slash', '/\\evil.example', null],
    ['a tab a browser drops', '/\t/evil.example', null],
    ['a newline (a header split)', '/send\r\nSet-Cookie: x=1', null],
    ['a double slash further on', '/send//x', null],
    ['a relative path', 'send', null],
    ['a leading space', ' /send', null],
    ['non-ASCII (not a valid Location)', '/sénd', null],
    ['the sign-in page itself (a loop)', '/login?next=/send', null],
    ['a sign-in step', '/login/mfa', null],
    ['signing out', '/logout', null],
    ['a path that only starts like login', '/logins', '/logins'],
    ['nothing', '', null],
    ['not a string', ['/send'], null],
    ['too long', `/${'a'.repeat(1000)}`, null],
  ])('%s', (_name, value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });
});

describe('landing after a sign-in step', () => {
  it.each<[string, Parameters<typeof landingFor>, string]>([
    ['active, nowhere asked: the console', ['active', null], '/console/'],
    ['active, asked for the form', ['active', '/send'], '/send'],
    ['at the code step, keeping next', ['mfa_verify', '/send'], '/login/mfa?next=/send'],
    [
      'at enrolment, keeping next',
      ['mfa_enrol', '/send/alerts/1?done=sent'],
      '/login/mfa/enrol?next=/send/alerts/1%3Fdone%3Dsent',
    ],
    ['at the new password, no next', ['password_change', null], '/login/password'],
  ])('%s', (_name, args, expected) => {
    expect(landingFor(...args)).toBe(expected);
  });

  it('writes nothing for no next', () => {
    expect(nextQuery(null)).toBe('');
  });
});
