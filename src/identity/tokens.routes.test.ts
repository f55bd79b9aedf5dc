import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';

let sys: TestSystem;
let admin: SignedIn;
let directoryManager: SignedIn;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
  directoryManager = await signIn(sys.app!, await makeOperator(sys.ctx, ['directory_manager']));
});
afterAll(async () => {
  await sys.close();
});

const api = (as: SignedIn, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  sys.app!.inject({ method, url, headers: as.headers, payload });

describe('SCIM provisioning tokens', () => {
  it('lets a directory manager issue a SCIM token that provisions over SCIM and nothing else', async () => {
    const r = await api(directoryManager, 'POST', '/api/v1/tokens/scim', { name: 'Okta', expiresInDays: 90 });
    expect(r.statusCode, r.body).toBe(201);
    const { token, apiToken } = r.json();
    expect(apiToken).toMatchObject({ name: 'Okta', permissions: ['scim.provision'], revokedAt: null });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await sys.app!.inject({ url: '/scim/v2/Users', headers: bearer })).statusCode).toBe(200);
    expect((await sys.app!.inject({ url: '/api/v1/people', headers: bearer })).statusCode).toBe(403);

    const list = await api(directoryManager, 'GET', '/api/v1/tokens/scim');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ maxDays: 365, scimUrl: `${sys.config.publicUrl}/scim/v2` });
    expect(list.json().tokens.map((t: { id: string }) => t.id)).toContain(apiToken.id);
    expect(JSON.stringify(list.json())).not.toContain(token);

    const revoked = await api(directoryManager, 'DELETE', `/api/v1/tokens/scim/${apiToken.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await sys.app!.inject({ url: '/scim/v2/Users', headers: bearer })).statusCode).toBe(401);
    expect((await api(directoryManager, 'DELETE', `/api/v1/tokens/scim/${apiToken.id}`)).statusCode).toBe(
      409,
    );
  });

  it('shows and revokes only SCIM tokens through the SCIM routes', async () => {
    const metrics = await api(admin, 'POST', '/api/v1/tokens', {
      name: 'Prometheus',
      permissions: ['metrics.read'],
    });
    expect(metrics.statusCode, metrics.body).toBe(201);
    const id = metrics.json().apiToken.id;
    const list = (await api(directoryManager, 'GET', '/api/v1/tokens/scim')).json();
    expect(list.tokens.map((t: { id: string }) => t.id)).not.toContain(id);
    const r = await api(directoryManager, 'DELETE', `/api/v1/tokens/scim/${id}`);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.message).toMatch(/SCIM token was not found/);
    // The administrator sees every token, with the profile's limit and the SCIM URL.
    const all = (await api(admin, 'GET', '/api/v1/tokens')).json();
    expect(all.tokens.map((t: { id: string }) => t.id)).toContain(id);
    expect(all).toMatchObject({ maxDays: 365, scimUrl: `${sys.config.publicUrl}/scim/v2` });
  });

  it('refuses an expiry past the profile maximum and callers without scim.provision, in words', async () => {
    const long = await api(directoryManager, 'POST', '/api/v1/tokens/scim', {
      name: 'Long',
      expiresInDays: 400,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toMatch(/at most 365 days/);
    const noName = await api(directoryManager, 'POST', '/api/v1/tokens/scim', { name: '' });
    expect(noName.statusCode).toBe(400);
    expect((await api(admin, 'POST', '/api/v1/tokens/scim', { name: 'IdP' })).statusCode).toBe(403);
    expect((await api(directoryManager, 'GET', '/api/v1/tokens')).statusCode).toBe(403);
  });
});

describe('a token acts for its operator', () => {
  it('carries no more than their roles grant now, stops when they are disabled, and names them', async () => {
    const manager = await makeOperator(sys.ctx, ['directory_manager']);
    const created = await api(await signIn(sys.app!, manager), 'POST', '/api/v1/tokens/scim', {
      name: 'Okta',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().apiToken.operator).toBe(manager.username);
    const bearer = { authorization: `Bearer ${created.json().token}` };
    const users = () => sys.app!.inject({ url: '/scim/v2/Users', headers: bearer });
    expect((await users()).statusCode).toBe(200);

    // They move to another job: the token loses scim.provision with their role.
    const moved = await api(admin, 'PUT', `/api/v1/operators/${manager.id}/roles`, { roles: ['viewer'] });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await users()).statusCode).toBe(403);
    const denied = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('actor_id', '=', created.json().apiToken.id)
      .executeTakeFirstOrThrow();
    expect(denied).toMatchObject({ actor_type: 'api_token', actor_label: manager.username });

    // Back in the role, then disabled: the token stops working altogether.
    await api(admin, 'PUT', `/api/v1/operators/${manager.id}/roles`, { roles: ['directory_manager'] });
    expect((await users()).statusCode).toBe(200);
    await api(admin, 'PUT', `/api/v1/operators/${manager.id}/disabled`, { disabled: true });
    expect((await users()).statusCode).toBe(401);
  });
});
