import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { totpCode } from '../../test/support/operators.js';
import { bootstrapAdministrator } from './bootstrap-administrator.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

/** A browser without JavaScript: keeps cookies, submits forms. */
class FormBrowser {
  cookies = new Map<string, string>();
  constructor(private readonly sysRef: TestSystem) {}
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(r: LightMyRequestResponse) {
    for (const c of r.cookies) {
      if (c.maxAge === 0 || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return r;
  }
  async get(url: string) {
    return this.keep(
      await this.sysRef.app!.inject({ method: 'GET', url, headers: { cookie: this.header() } }),
    );
  }
  async post(url: string, fields: Record<string, string>) {
    return this.keep(
      await this.sysRef.app!.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.header(),
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost:3000',
        },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }
}

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';

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
      headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
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
