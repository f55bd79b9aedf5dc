import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeOperator, makeToken, signIn } from '../../test/support/operators.js';
import { permissions, type Permission } from './permissions.js';
import type { RouteAccess } from './access-control.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

const someId = '00000000-0000-4000-8000-000000000000';
const fill = (url: string) => url.replace(/:[A-Za-z]+/g, someId);
const guarded = () => sys.app!.accessTable.filter((r) => !('public' in r.access));
const label = (r: RouteAccess) => `${r.method} ${r.url}`;
// Routes under /scim/v2 answer in SCIM's error format (RFC 7644 §3.12), not Tocsin's envelope.
const isScim = (url: string) => url.startsWith('/scim/v2/');
const errorMessage = (body: { error?: { message: string }; detail?: string }) =>
  body.error?.message ?? body.detail ?? '';

describe('access to every route', () => {
  it('declares access on every route and guards the privileged ones', () => {
    const table = sys.app!.accessTable;
    expect(table.length).toBeGreaterThan(15);
    const withPermission = table.filter((r) => 'permission' in r.access).map(label);
    expect(withPermission).toContain('GET /api/v1/operators');
    expect(withPermission).toContain('GET /metrics');
    expect(withPermission).toContain('GET /api/v1/audit');
  });

  it('answers 401 to anonymous callers on every guarded route', async () => {
    for (const route of guarded()) {
      const r = await sys.app!.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(r.statusCode, label(route)).toBe(401);
      if (isScim(route.url)) expect(r.json(), label(route)).toMatchObject({ status: '401' });
      else expect(r.json().error.code, label(route)).toMatch(/unauthenticated|mfa_required/);
    }
  });

  it('answers 401 to a revoked or made-up token', async () => {
    const r = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/operators',
      headers: { authorization: 'Bearer tocsin_aaaaaaaaaaaa_' + 'x'.repeat(43) },
    });
    expect(r.statusCode).toBe(401);
  });

  it('answers 403 on every permission route to a token and to an operator that lack the permission', async () => {
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const session = await signIn(sys.app!, viewer);
    for (const route of guarded()) {
      if (!('permission' in route.access)) continue;
      const needed = route.access.permission;
      const others = permissions.filter((p): p is Permission => p !== needed).slice(0, 3);
      const token = await makeToken(sys.ctx, others);
      const payload = route.method === 'GET' ? undefined : {};
      const byToken = await sys.app!.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
      expect(byToken.statusCode, `${label(route)} by token`).toBe(403);
      if (isScim(route.url)) expect(byToken.json().detail).toContain(needed);
      else expect(byToken.json().error.details.permission).toBe(needed);
      if (sys.ctx.profile.roles.viewer!.permissions.includes(needed)) continue;
      const bySession = await sys.app!.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: session.headers,
        payload,
      });
      expect(bySession.statusCode, `${label(route)} by viewer`).toBe(403);
    }
  });

  it('records every refusal in the audit log', async () => {
    const token = await makeToken(sys.ctx, ['alerts.read']);
    await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/operators',
      headers: { authorization: `Bearer ${token}` },
    });
    const row = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.outcome).toBe('denied');
    expect(row.metadata).toMatchObject({ permission: 'operators.read', route: '/api/v1/operators' });
  });

  it('refuses operator-only routes to API tokens', async () => {
    const token = await makeToken(sys.ctx, [...permissions]);
    for (const route of guarded()) {
      if (!('signedIn' in route.access)) continue;
      const r = await sys.app!.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        headers: { authorization: `Bearer ${token}` },
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(r.statusCode, label(route)).toBe(403);
    }
  });
});

describe('bad input', () => {
  const garbage: Array<{ name: string; payload: string; contentType: string }> = [
    { name: 'broken JSON', payload: '{"username": ', contentType: 'application/json' },
    { name: 'a JSON array', payload: '[1,2,3]', contentType: 'application/json' },
    {
      name: 'wrong types',
      payload: JSON.stringify({
        username: 5,
        password: [],
        roles: 'x',
        name: {},
        code: 12,
        disabled: 'yes',
        permissions: [1],
      }),
      contentType: 'application/json',
    },
    { name: 'unknown fields', payload: JSON.stringify({ surprise: true }), contentType: 'application/json' },
    {
      name: 'huge strings',
      payload: JSON.stringify({
        username: 'a'.repeat(5000),
        displayName: 'b'.repeat(5000),
        newPassword: 'c'.repeat(5000),
      }),
      contentType: 'application/json',
    },
    { name: 'text/plain', payload: 'hello', contentType: 'text/plain' },
    { name: 'a form', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  ];

  it('gets a 4xx with a message from every route, never a 5xx', async () => {
    const admin = await makeOperator(sys.ctx, ['administrator']);
    const session = await signIn(sys.app!, admin);
    const token = await makeToken(sys.ctx, [...permissions]);
    for (const route of sys.app!.accessTable) {
      const headers = 'signedIn' in route.access ? session.headers : { authorization: `Bearer ${token}` };
      for (const url of [
        fill(route.url),
        route.url.replace(/:[A-Za-z]+/g, 'not-a-uuid'),
        `${fill(route.url)}?limit=-1&beforeSeq=abc`,
      ]) {
        for (const g of route.method === 'GET' ? garbage.slice(0, 1) : garbage) {
          const r = await sys.app!.inject({
            method: route.method as 'POST',
            url,
            headers: { ...headers, 'content-type': g.contentType },
            payload: route.method === 'GET' ? undefined : g.payload,
          });
          expect(r.statusCode, `${route.method} ${url} with ${g.name}: ${r.body.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (r.statusCode >= 400 && r.headers['content-type']?.toString().includes('json')) {
            expect(errorMessage(r.json()).length, `${route.method} ${url}`).toBeGreaterThan(5);
          }
        }
      }
    }
  });
});
