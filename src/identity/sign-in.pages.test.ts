import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { FormBrowser, hidden } from '../../test/support/form-browser.js';
import { makeOperator, totpCode } from '../../test/support/operators.js';
import { bootstrapAdministrator } from './bootstrap-administrator.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

describe('signing in without JavaScript', () => {
  it('takes the first administrator from the printed one-time secret to a signed-in page with MFA', async () => {
    const first = sys.firstAdministrator;
    expect(first?.operator.username).toBe('admin');
    expect(await bootstrapAdministrator(sys.ctx)).toBeNull();

    const browser = new FormBrowser(sys);
    const form = await browser.get('/login');
    expect(form.headers['content-type']).toMatch(/text\/html/);
    expect(form.body).toContain('<label for="username">');
    const wrong = await browser.post('/login', {
      _csrf: hidden(form.body, '_csrf'),
      username: 'admin',
      password: 'not it',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('role="alert"');

    const again = await browser.get('/login');
    const signedIn = await browser.post('/login', {
      _csrf: hidden(again.body, '_csrf'),
      username: 'admin',
      password: first!.oneTimeSecret,
    });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/login/password');

    const pw = await browser.get('/login/password');
    const mismatch = await browser.post('/login/password', {
      _csrf: hidden(pw.body, '_csrf'),
      newPassword: 'a long new password',
      confirmPassword: 'different',
    });
    expect(mismatch.body).toContain('The two passwords differ');
    const saved = await browser.post('/login/password', {
      _csrf: hidden(pw.body, '_csrf'),
      newPassword: 'a long new password',
      confirmPassword: 'a long new password',
    });
    expect(saved.headers.location).toBe('/login/mfa/enrol');

    const enrol = await browser.get('/login/mfa/enrol');
    expect(enrol.body).toContain('<svg');
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(enrol.body)![1]!;
    const done = await browser.post('/login/mfa/enrol', {
      _csrf: hidden(enrol.body, '_csrf'),
      code: totpCode(secret),
    });
    expect(done.headers.location).toBe('/console/');

    const account = await browser.get('/account');
    expect(account.body).toContain('Tocsin administrator');
    expect(account.body).toContain('/api/docs');
    const docs = await sys.app!.inject({
      url: '/api/docs/json',
      headers: { cookie: browser.cookieHeader() },
    });
    expect(docs.statusCode).toBe(200);

    const out = await browser.post('/logout', { _csrf: hidden(account.body, '_csrf') });
    expect(out.headers.location).toBe('/login');
    expect((await browser.get('/account')).headers.location).toBe('/login');
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    const browser = new FormBrowser(sys);
    await browser.get('/login');
    const r = await browser.post('/login', { username: 'admin', password: 'x' });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('The sign-in form expired');
  });

  it('sends a half-signed-in operator back to the step they are on', async () => {
    const browser = new FormBrowser(sys);
    expect((await browser.get('/login/mfa')).headers.location).toBe('/login');
  });
});

describe('coming back to where the operator was going', () => {
  it('links the sign-in page to the plain send form', async () => {
    const page = await new FormBrowser(sys).get('/login');
    expect(page.body).toContain('<a href="/send">Console not loading? Send an alert with the plain form</a>');
  });

  it('returns to a local path after the new password, MFA enrolment and the code, each step keeping it', async () => {
    const op = await makeOperator(sys.ctx, ['police_dispatcher'], { mfa: false });
    await sys.ctx.db
      .updateTable('operators')
      .set({ must_change_password: true })
      .where('id', '=', op.id)
      .execute();
    const browser = new FormBrowser(sys);
    const login = await browser.get('/login?next=/send');
    expect(hidden(login.body, 'next')).toBe('/send');
    const signedIn = await browser.post('/login', {
      _csrf: hidden(login.body, '_csrf'),
      next: '/send',
      username: op.username,
      password: op.password,
    });
    expect(signedIn.headers.location).toBe('/login/password?next=/send');
    const pw = await browser.get('/login/password?next=/send');
    expect(hidden(pw.body, 'next')).toBe('/send');
    const saved = await browser.post('/login/password', {
      _csrf: hidden(pw.body, '_csrf'),
      next: '/send',
      newPassword: 'another long password',
      confirmPassword: 'another long password',
    });
    expect(saved.headers.location).toBe('/login/mfa/enrol?next=/send');
    // At the wrong step, the operator is sent to their own step, still keeping next.
    expect((await browser.get('/login/mfa?next=/send')).headers.location).toBe('/login/mfa/enrol?next=/send');
    const enrol = await browser.get('/login/mfa/enrol?next=/send');
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(enrol.body)![1]!;
    const enrolled = await browser.post('/login/mfa/enrol', {
      _csrf: hidden(enrol.body, '_csrf'),
      next: '/send',
      code: totpCode(secret),
    });
    expect(enrolled.headers.location).toBe('/send');
    // Signed in already: /login goes straight on.
    expect((await browser.get('/login?next=/send')).headers.location).toBe('/send');
    expect((await browser.get('/login')).headers.location).toBe('/console/');

    const again = new FormBrowser(sys);
    const form = await again.get('/login?next=/send/alerts/x');
    const password = await again.post('/login', {
      _csrf: hidden(form.body, '_csrf'),
      next: '/send/alerts/x',
      username: op.username,
      password: 'another long password',
    });
    expect(password.headers.location).toBe('/login/mfa?next=/send/alerts/x');
    const mfa = await again.get('/login/mfa?next=/send/alerts/x');
    const verified = await again.post('/login/mfa', {
      _csrf: hidden(mfa.body, '_csrf'),
      next: hidden(mfa.body, 'next'),
      code: totpCode(secret, new Date(Date.now() + 30_000)),
    });
    expect(verified.headers.location).toBe('/send/alerts/x');
  });

  it.each([
    ['another host', '//evil.example/send'],
    ['a scheme', 'https://evil.example/'],
    ['a backslash', '/\\evil.example'],
    ['a tab a browser would drop', '/\t/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['the sign-in page (a loop)', '/login'],
  ])('refuses an open redirect to %s: the operator lands in the console', async (_name, next) => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const browser = new FormBrowser(sys);
    const form = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('name="next"');
    const r = await browser.post('/login', {
      _csrf: hidden(form.body, '_csrf'),
      next: decodeURIComponent(next),
      username: op.username,
      password: op.password,
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/console/');
    expect((await browser.get(`/login?next=${encodeURIComponent(next)}`)).headers.location).toBe('/console/');
  });
});
