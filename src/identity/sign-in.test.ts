import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeOperator, signIn, totpCode } from '../../test/support/operators.js';
import { createOperator } from './create-operator.js';
import { systemActor, noRequest } from '../platform/actor.js';
import { Secret, TOTP } from 'otpauth';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

describe('signing in', () => {
  it('takes a new operator from a one-time secret through a password change and MFA enrolment to an active session', async () => {
    const app = sys.app!;
    const created = await createOperator(sys.ctx, systemActor, {
      username: 'Dispatcher1',
      displayName: 'Dispatcher One',
      roles: ['police_dispatcher'],
      request: noRequest,
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'dispatcher1', password: created.oneTimeSecret },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().stage).toBe('password_change');
    const cookie = login.cookies.find((c) => c.name === 'tocsin_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.secure).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const headers = { cookie: `tocsin_session=${cookie.value}`, 'x-csrf-token': login.json().csrfToken };

    const early = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
    expect(early.json().permissions).toContain('alerts.send.emergency');
    const blocked = await app.inject({ method: 'GET', url: '/api/v1/operators', headers });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe('mfa_required');

    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toMatch(/at least 12 characters/);

    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { newPassword: 'correct horse battery staple' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().stage).toBe('mfa_enrol');

    const enrol = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrolment', headers });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = enrol.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(qrSvg).toMatch(/^<svg/);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enrolment/confirm',
      headers,
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    const confirmed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enrolment/confirm',
      headers,
      payload: { code },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().stage).toBe('active');

    const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
    expect(session.json()).toMatchObject({
      stage: 'active',
      mfaEnrolled: true,
      roles: ['police_dispatcher'],
    });
  });

  it('asks an enrolled operator for a TOTP code and accepts each code only once', async () => {
    const op = await makeOperator(sys.ctx, ['emergency_management']);
    // One instant for both codes: a test that crossed a 30-second step would reuse nothing.
    const at = new Date();
    const first = await signIn(sys.app!, op, at);
    const me = await sys.app!.inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers });
    expect(me.json().stage).toBe('active');

    const again = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: op.password },
    });
    const headers = {
      cookie: `tocsin_session=${again.cookies.find((c) => c.name === 'tocsin_session')!.value}`,
      'x-csrf-token': again.json().csrfToken,
    };
    const reuse = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers,
      payload: { code: totpCode(op.totpSecret!, at) },
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error.message).toMatch(/already used/);
  });

  it('locks the account after five wrong passwords, even for the right one', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    for (let i = 0; i < 4; i += 1) {
      const r = await sys.app!.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: op.username, password: 'wrong password!' },
        remoteAddress: `10.0.0.${i}`,
      });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: 'wrong password!' },
      remoteAddress: '10.0.0.9',
    });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.headers['retry-after']).toBeDefined();
    const right = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: op.password },
      remoteAddress: '10.0.0.10',
    });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.message).toMatch(/locked/);
  });

  it('gives the same answer for an unknown user as for a wrong password', async () => {
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody-here', password: 'whatever it is' },
      remoteAddress: '10.1.0.1',
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.message).toBe('The username or password is wrong. Check both and try again.');
  });

  it('throttles one address that tries too often', async () => {
    const limit = sys.ctx.profile.security.login.maxAttemptsPerIpPerMinute;
    let last = 0;
    for (let i = 0; i <= limit; i += 1) {
      const r = await sys.app!.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `ghost${i}`, password: 'x' },
        remoteAddress: '10.2.0.1',
      });
      last = r.statusCode;
    }
    expect(last).toBe(429);
  });

  it('refuses cookie-authenticated changes without the CSRF token', async () => {
    const op = await makeOperator(sys.ctx, ['administrator']);
    const s = await signIn(sys.app!, op);
    const without = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.message).toMatch(/CSRF/);
    const cross = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...s.headers, origin: 'https://evil.example' },
    });
    expect(cross.statusCode).toBe(403);
    const ok = await sys.app!.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
    expect(ok.statusCode).toBe(200);
    const after = await sys.app!.inject({ method: 'GET', url: '/api/v1/auth/session', headers: s.headers });
    expect(after.statusCode).toBe(401);
  });
});
