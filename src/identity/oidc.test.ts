import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hidden } from '../../test/support/form-browser.js';
import { totpCode } from '../../test/support/operators.js';
import { freePort } from '../../test/support/ports.js';
import { startTestIdp, type IdpUser, type TestIdp } from '../../test/support/oidc-provider.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { idpDidMfa, isSafeReturnTo, refusal, ssoUsername } from './sso.policy.js';

// Tocsin's public URL only has to be consistent: the IdP redirects the test, which replays the callback in-process.
const publicUrl = 'http://tocsin.test';
let idp: TestIdp;
let sys: TestSystem;

beforeAll(async () => {
  idp = await startTestIdp(`${publicUrl}/api/v1/auth/oidc/callback`);
  sys = await startTestSystem({ env: { ...idp.env, TOCSIN_PUBLIC_URL: publicUrl } });
});
afterAll(async () => {
  await sys?.close();
  await idp?.close();
});

/** Start at Tocsin, pass through the IdP as `as`, and return the IdP's redirect back to Tocsin's callback. */
async function throughIdp(as: string | 'refuse', returnTo = '/alerts'): Promise<string> {
  const start = await sys.app!.inject({
    method: 'GET',
    url: `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`,
  });
  expect(start.statusCode, start.body).toBe(302);
  const back = await idp.authorize(String(start.headers.location), as);
  return back.pathname + back.search;
}

/** A complete single sign-on as this user: Tocsin's answer to the callback and the session cookie, if any. */
async function ssoSignIn(user: IdpUser, returnTo?: string) {
  idp.setUser(user);
  const callback = await sys.app!.inject({ method: 'GET', url: await throughIdp(user.sub, returnTo) });
  const cookie = callback.cookies.find((c) => c.name === 'tocsin_session');
  return { callback, cookie: cookie ? `tocsin_session=${cookie.value}` : null };
}

const session = (cookie: string | null) =>
  sys.app!.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookie ?? '' } });
const operatorBySubject = (sub: string) =>
  sys.ctx.db
    .selectFrom('operators')
    .selectAll()
    .where('sso_issuer', '=', idp.issuer)
    .where('sso_subject', '=', sub)
    .execute();
const auditRows = (action: string, targetId?: string) => {
  let query = sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq');
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.execute();
};

describe('single sign-on with OpenID Connect', () => {
  it('creates an operator for a member of a mapped group whose IdP did MFA, and starts an active session', async () => {
    const { callback, cookie } = await ssoSignIn({
      sub: 'alice-1',
      preferredUsername: 'Alice.Smith',
      name: 'Alice Smith',
      email: 'alice@example.edu',
      groups: ['emergency-management', 'students'],
      amr: ['pwd', 'mfa'],
    });
    expect(callback.statusCode, callback.body).toBe(303);
    expect(callback.headers.location).toBe('/alerts');
    const me = await session(cookie);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      stage: 'active',
      roles: ['emergency_management'],
      operator: { username: 'alice.smith', displayName: 'Alice Smith' },
    });

    const [operator] = await operatorBySubject('alice-1');
    expect(operator).toMatchObject({ email: 'alice@example.edu', password_hash: null });
    const roles = await sys.ctx.db
      .selectFrom('operator_roles')
      .select(['role', 'source'])
      .where('operator_id', '=', operator!.id)
      .execute();
    expect(roles).toEqual([{ role: 'emergency_management', source: 'sso' }]);
    expect(await auditRows('operator.create', operator!.id)).toHaveLength(1);
    const [signIn] = await auditRows('auth.sign_in', operator!.id);
    expect(signIn).toMatchObject({ outcome: 'success', metadata: { method: 'sso', stage: 'active' } });
  });

  it('reuses the operator on the next sign-in and replaces their roles when their groups change', async () => {
    await ssoSignIn({
      sub: 'bob-1',
      preferredUsername: 'bob',
      groups: ['emergency-management'],
      amr: ['mfa'],
    });
    // This time the IdP leaves the groups out of the ID token, so Tocsin asks the userinfo endpoint.
    const { callback, cookie } = await ssoSignIn({
      sub: 'bob-1',
      preferredUsername: 'bob',
      groups: ['cswg'],
      groupsIn: 'userinfo',
    });
    expect(callback.statusCode, callback.body).toBe(303);
    expect((await session(cookie)).json()).toMatchObject({
      stage: 'active',
      roles: ['cswg_member'],
      operator: { username: 'bob' },
    });
    const operators = await operatorBySubject('bob-1');
    expect(operators).toHaveLength(1);
    const [rolesSet] = await auditRows('operator.roles_set', operators[0]!.id);
    expect(rolesSet).toMatchObject({
      before: { roles: ['emergency_management'] },
      after: { roles: ['cswg_member'] },
    });
  });

  it('refuses a person whose groups map to no role, with no session, and records the refusal', async () => {
    const { callback, cookie } = await ssoSignIn({
      sub: 'carol-1',
      preferredUsername: 'carol',
      groups: ['students'],
      amr: ['mfa'],
    });
    expect(callback.statusCode).toBe(403);
    expect(callback.json().error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/^Your single sign-on groups grant no Tocsin role/),
    });
    expect(cookie).toBeNull();
    expect(await operatorBySubject('carol-1')).toHaveLength(0);
    const denied = (await auditRows('auth.sign_in')).filter((r) => r.outcome === 'denied');
    expect(denied.at(-1)).toMatchObject({
      actor_label: 'carol',
      metadata: { reason: 'no_mapped_group', subject: 'carol-1', groups: ['students'] },
    });
  });

  it('sends a privileged person whose IdP did not report MFA to Tocsin MFA enrolment', async () => {
    const { callback, cookie } = await ssoSignIn({
      sub: 'dave-1',
      preferredUsername: 'dave',
      groups: ['tocsin-admins'],
      amr: ['pwd'],
    });
    expect(callback.statusCode, callback.body).toBe(303);
    expect(callback.headers.location).toBe('/login/mfa/enrol?next=/alerts');
    expect((await session(cookie)).json()).toMatchObject({ stage: 'mfa_enrol', roles: ['administrator'] });
    const operators = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/operators',
      headers: { cookie: cookie! },
    });
    expect(operators.statusCode).toBe(401);

    await sys.ctx.db
      .updateTable('operators')
      .set({ totp_secret: 'JBSWY3DPEHPK3PXP', totp_enrolled_at: new Date() })
      .where('sso_subject', '=', 'dave-1')
      .execute();
    const enrolled = await ssoSignIn({
      sub: 'dave-1',
      preferredUsername: 'dave',
      groups: ['tocsin-admins'],
      amr: ['pwd'],
    });
    expect(enrolled.callback.headers.location).toBe('/login/mfa?next=/alerts');
    // Tocsin's own code step, then on to where the person was going.
    const mfa = await sys.app!.inject({
      url: '/login/mfa?next=/alerts',
      headers: { cookie: enrolled.cookie! },
    });
    const verified = await sys.app!.inject({
      method: 'POST',
      url: '/login/mfa',
      headers: {
        cookie: enrolled.cookie!,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        _csrf: hidden(mfa.body, '_csrf'),
        next: hidden(mfa.body, 'next'),
        code: totpCode('JBSWY3DPEHPK3PXP'),
      }).toString(),
    });
    expect(verified.statusCode, verified.body.slice(0, 300)).toBe(303);
    expect(verified.headers.location).toBe('/alerts');
    const trusted = await ssoSignIn({
      sub: 'dave-1',
      preferredUsername: 'dave',
      groups: ['tocsin-admins'],
      amr: ['pwd', 'otp'],
    });
    expect(trusted.callback.headers.location).toBe('/alerts');
  });

  it('accepts each callback once: a replayed or unknown state gets 400', async () => {
    idp.setUser({ sub: 'erin-1', preferredUsername: 'erin', groups: ['cswg'] });
    const url = await throughIdp('erin-1');
    expect((await sys.app!.inject({ method: 'GET', url })).statusCode).toBe(303);
    const replay = await sys.app!.inject({ method: 'GET', url });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/unknown, already used or more than 10 minutes old/),
    });
    const unknown = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/callback?code=abc&state=never-issued',
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('refuses a stale state older than ten minutes', async () => {
    idp.setUser({ sub: 'fay-1', preferredUsername: 'fay', groups: ['cswg'] });
    const url = await throughIdp('fay-1');
    const state = new URL(url, publicUrl).searchParams.get('state')!;
    await sys.ctx.db
      .updateTable('oidc_logins')
      .set({ created_at: new Date(Date.now() - 11 * 60_000) })
      .where('state', '=', state)
      .execute();
    expect((await sys.app!.inject({ method: 'GET', url })).statusCode).toBe(400);
  });

  it('explains an IdP refusal as a 4xx, not a server error', async () => {
    const url = await throughIdp('refuse');
    expect(url).toContain('error=access_denied');
    const refused = await sys.app!.inject({ method: 'GET', url });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(
      /did not sign you in: The person cancelled the sign-in \(access_denied\)/,
    );
  });

  it('answers 401 when the IdP rejects the code or its ID token fails the nonce check', async () => {
    idp.setUser({ sub: 'gil-1', preferredUsername: 'gil', groups: ['cswg'] });
    const url = await throughIdp('gil-1');
    const state = new URL(url, publicUrl).searchParams.get('state')!;
    const login = await sys.ctx.db
      .selectFrom('oidc_logins')
      .selectAll()
      .where('state', '=', state)
      .executeTakeFirstOrThrow();
    expect((await sys.app!.inject({ method: 'GET', url })).statusCode).toBe(303);
    // Same state again (as if stored twice), but the IdP has already redeemed this code.
    await sys.ctx.db.insertInto('oidc_logins').values(login).execute();
    const reused = await sys.app!.inject({ method: 'GET', url });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error).toMatchObject({
      code: 'unauthenticated',
      details: { idpError: 'invalid_grant' },
    });

    const fresh = await throughIdp('gil-1');
    const freshState = new URL(fresh, publicUrl).searchParams.get('state')!;
    await sys.ctx.db
      .updateTable('oidc_logins')
      .set({ nonce: 'not-the-nonce-sent' })
      .where('state', '=', freshState)
      .execute();
    const mismatched = await sys.app!.inject({ method: 'GET', url: fresh });
    expect(mismatched.statusCode).toBe(401);
    expect(mismatched.json().error.message).toMatch(/failed verification/);
  });

  it('gives a second person with a taken username a suffixed one', async () => {
    await ssoSignIn({ sub: 'sam-a', preferredUsername: 'sam', groups: ['cswg'] });
    const { cookie } = await ssoSignIn({ sub: 'sam-b', email: 'Sam@example.edu', groups: ['cswg'] });
    expect((await session(cookie)).json().operator.username).toBe('sam-2');
  });

  it('only returns to paths on this site', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'alerts']) {
      const start = await sys.app!.inject({
        method: 'GET',
        url: `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`,
      });
      expect(start.statusCode, returnTo).toBe(400);
      expect(start.json().error.code).toBe('validation');
    }
  });
});

describe('single sign-on when the IdP is absent or unreachable', () => {
  it('says the IdP could not be reached (503, retry later) when discovery fails', async () => {
    const down = await startTestSystem({
      env: { ...idp.env, TOCSIN_OIDC_ISSUER: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      const r = await down.app!.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
      expect(r.statusCode, r.body).toBe(503);
      expect(r.headers['retry-after']).toBe('60');
      expect(r.json().error.message).toMatch(/could not be reached/);
    } finally {
      await down.close();
    }
  });

  it('answers 404 at the start and the callback when single sign-on is not configured', async () => {
    const plain = await startTestSystem();
    try {
      expect(plain.config.oidc).toBeUndefined();
      for (const url of ['/api/v1/auth/oidc/start', '/api/v1/auth/oidc/callback?code=a&state=b']) {
        const r = await plain.app!.inject({ method: 'GET', url });
        expect(r.statusCode).toBe(404);
        expect(r.json().error).toMatchObject({
          code: 'not_found',
          message: expect.stringMatching(/^Single sign-on is not configured/),
        });
      }
    } finally {
      await plain.close();
    }
  });
});

describe('single sign-on rules', () => {
  it.each([
    ['/alerts?x=1', true],
    ['/', true],
    ['//evil.example', false],
    ['/\\evil.example', false],
    ['https://evil.example', false],
    ['/a b', false],
    ['/a\r\nSet-Cookie: x', false],
    ['/café', false],
  ])('returnTo %j is safe: %s', (value, safe) => {
    expect(isSafeReturnTo(value)).toBe(safe);
  });

  it.each([
    [{ preferred_username: 'Jane.Doe@MIT.EDU' }, 'sub-1', 'jane.doe@mit.edu'],
    [{ preferred_username: '  Ünïcode Name ' }, 'sub-1', 'unicode-name'],
    [{ preferred_username: '李', email: 'li.wei@example.edu' }, 'sub-1', 'li.wei'],
    [{}, 'AbC|123', 'abc-123'],
    [{}, '_', expect.stringMatching(/^sso-[0-9a-f]{12}$/)],
  ])('username from %j and subject %j is %s', (claims, subject, username) => {
    expect(ssoUsername(claims, subject)).toEqual(username);
  });

  it.each([
    [['pwd', 'mfa'], true],
    [['otp'], true],
    [['hwk'], true],
    [['pwd'], false],
    [[], false],
  ])('amr %j means the IdP did MFA: %s', (amr, did) => {
    expect(idpDidMfa(amr)).toBe(did);
  });

  it.each([
    [[], undefined, true, 'no_mapped_group'],
    [['viewer'], { disabled_at: new Date() }, true, 'disabled'],
    [['viewer'], undefined, false, 'no_operator'],
    [['viewer'], undefined, true, null],
    [['viewer'], { disabled_at: null }, false, null],
  ] as const)('roles %j, operator %j, create %s: refusal %s', (roles, operator, create, expected) => {
    expect(refusal(roles, operator, create)).toBe(expected);
  });
});
