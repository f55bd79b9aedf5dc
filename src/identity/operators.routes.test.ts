import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeOperator, signedInAs, signIn, type SignedIn } from '../../test/support/operators.js';

let sys: TestSystem;
let admin: SignedIn;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await signedInAs(sys, ['administrator']);
});
afterAll(async () => {
  await sys.close();
});

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers = admin.headers,
) => sys.app!.inject({ method, url, headers, payload });

describe('operator administration', () => {
  it('creates an operator with a one-time secret and audits it without secrets', async () => {
    const r = await api('POST', '/api/v1/operators', {
      username: 'EM.Lead',
      displayName: 'EM Lead',
      roles: ['emergency_management'],
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body.operator).toMatchObject({
      username: 'em.lead',
      roles: ['emergency_management'],
      mustChangePassword: true,
      mfaEnrolled: false,
    });
    expect(body.oneTimeSecret).toMatch(/^[a-z2-9]{6}(-[a-z2-9]{6}){3}$/);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'operator.create')
      .where('target_id', '=', body.operator.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit)).not.toContain(body.oneTimeSecret);
    expect(audit.after).toEqual({
      username: 'em.lead',
      displayName: 'EM Lead',
      roles: ['emergency_management'],
    });
    const dup = await api('POST', '/api/v1/operators', {
      username: 'em.lead',
      displayName: 'Again',
      roles: [],
    });
    expect(dup.statusCode).toBe(409);
  });

  it('rejects roles the profile does not declare', async () => {
    const r = await api('POST', '/api/v1/operators', {
      username: 'someone',
      displayName: 'Someone',
      roles: ['overlord'],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/Unknown role\(s\): overlord/);
  });

  it('changes roles, ends the operator’s sessions, and records before and after', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const theirs = await signIn(sys.app!, op);
    const r = await api('PUT', `/api/v1/operators/${op.id}/roles`, { roles: ['viewer', 'cswg_member'] });
    expect(r.statusCode).toBe(200);
    expect(r.json().roles).toEqual(['cswg_member', 'viewer']);
    expect((await sys.app!.inject({ url: '/api/v1/auth/session', headers: theirs.headers })).statusCode).toBe(
      401,
    );
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'operator.roles_set')
      .where('target_id', '=', op.id)
      .executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ roles: ['viewer'] });
    expect(audit.after).toEqual({ roles: ['cswg_member', 'viewer'] });
  });

  it('resets MFA so the operator enrols again', async () => {
    const op = await makeOperator(sys.ctx, ['emergency_management']);
    expect((await api('POST', `/api/v1/operators/${op.id}/mfa-reset`)).json().mfaEnrolled).toBe(false);
    const login = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: op.password },
    });
    expect(login.json().stage).toBe('mfa_enrol');
  });

  it('resets a password to a new one-time secret and unlocks the account', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    await sys.ctx.db
      .updateTable('operators')
      .set({ locked_until: new Date(Date.now() + 3_600_000) })
      .where('id', '=', op.id)
      .execute();
    const r = await api('POST', `/api/v1/operators/${op.id}/password-reset`);
    const secret = r.json().oneTimeSecret as string;
    const login = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: secret },
    });
    expect(login.json().stage).toBe('password_change');
  });

  it('disables an operator, ending their sessions and refusing sign-in', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const theirs = await signIn(sys.app!, op);
    expect(
      (await api('PUT', `/api/v1/operators/${op.id}/disabled`, { disabled: true })).json().disabled,
    ).toBe(true);
    expect((await sys.app!.inject({ url: '/api/v1/auth/session', headers: theirs.headers })).statusCode).toBe(
      401,
    );
    const login = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: op.username, password: op.password },
    });
    expect(login.statusCode).toBe(401);
  });

  it('audits reading an operator’s sessions', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    await signIn(sys.app!, op);
    const r = await api('GET', `/api/v1/operators/${op.id}/sessions`);
    expect(r.json().sessions).toHaveLength(1);
    const row = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'operator.sessions_read')
      .where('target_id', '=', op.id)
      .executeTakeFirst();
    expect(row).toBeDefined();
  });

  it('answers 404 for an unknown operator', async () => {
    expect((await api('GET', '/api/v1/operators/00000000-0000-4000-8000-000000000001')).statusCode).toBe(404);
  });
});

const auditRow = (action: string, targetId: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .executeTakeFirst();

interface NoticeBody {
  id: string;
  kind: string;
  message: string;
  aboutOperatorId: string | null;
}
const noticesAbout = async (as: SignedIn, operatorId: string): Promise<NoticeBody[]> => {
  const r = await api('GET', '/api/v1/auth/notices', undefined, as.headers);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().notices as NoticeBody[]).filter((n) => n.aboutOperatorId === operatorId);
};

describe('who may give the roles that send alerts', () => {
  it('refuses anyone changing their own roles, in a session or with their own token', async () => {
    const me = await makeOperator(sys.ctx, ['administrator']);
    const mine = await signIn(sys.app!, me);
    const ownRoles = { roles: ['administrator', 'emergency_management'] };
    const own = await api('PUT', `/api/v1/operators/${me.id}/roles`, ownRoles, mine.headers);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toBe(
      'You cannot change your own roles. Ask another administrator to change them.',
    );
    const created = await api(
      'POST',
      '/api/v1/tokens',
      { name: 'my automation', permissions: ['operators.manage'] },
      mine.headers,
    );
    expect(created.statusCode, created.body).toBe(201);
    const viaToken = await sys.app!.inject({
      method: 'PUT',
      url: `/api/v1/operators/${me.id}/roles`,
      headers: { authorization: `Bearer ${created.json().token}` },
      payload: ownRoles,
    });
    expect(viaToken.statusCode).toBe(403);
    expect((await api('GET', `/api/v1/operators/${me.id}`)).json().roles).toEqual(['administrator']);
    expect(await auditRow('operator.roles_set', me.id)).toBeUndefined();
    // Another administrator may.
    const other = await api('PUT', `/api/v1/operators/${me.id}/roles`, {
      roles: ['administrator', 'viewer'],
    });
    expect(other.statusCode, other.body).toBe(200);
  });

  it('audits a grant of a sending role on its own and tells every other active administrator', async () => {
    const granting = await makeOperator(sys.ctx, ['administrator']);
    const colleague = await makeOperator(sys.ctx, ['administrator']);
    const departed = await makeOperator(sys.ctx, ['administrator']);
    await sys.ctx.db
      .updateTable('operators')
      .set({ disabled_at: new Date() })
      .where('id', '=', departed.id)
      .execute();
    const target = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const grantor = await signIn(sys.app!, granting);
    const r = await api(
      'PUT',
      `/api/v1/operators/${target.id}/roles`,
      { roles: ['viewer', 'police_dispatcher'] },
      grantor.headers,
    );
    expect(r.statusCode, r.body).toBe(200);

    const grant = await auditRow('operator.roles.grant_sending', target.id);
    expect(grant).toMatchObject({
      actor_type: 'operator',
      actor_id: granting.id,
      before: { roles: ['viewer'] },
      after: { roles: ['police_dispatcher', 'viewer'] },
      metadata: {
        sendingRoles: ['police_dispatcher'],
        permissions: ['alerts.send.emergency', 'alerts.send.operations', 'alerts.send.test'],
      },
    });
    const told = (grant!.metadata as { toldAdministrators: string[] }).toldAdministrators;
    expect(told).toContain(colleague.id);
    expect(told).not.toContain(granting.id);
    expect(told).not.toContain(departed.id);
    expect(await auditRow('operator.roles_set', target.id)).toBeDefined();

    // The colleague sees it once signed in, until they mark it read (which is audited).
    const theirs = await signIn(sys.app!, colleague);
    const [notice] = await noticesAbout(theirs, target.id);
    expect(notice).toMatchObject({ kind: 'sending_role_granted' });
    expect(notice!.message).toContain(
      `${granting.username} gave ${target.username} MIT Police (police_dispatcher), which sends alerts.`,
    );
    expect(await noticesAbout(grantor, target.id)).toEqual([]);
    const read = await api('POST', `/api/v1/auth/notices/${notice!.id}/read`, undefined, theirs.headers);
    expect(read.statusCode, read.body).toBe(200);
    expect(await noticesAbout(theirs, target.id)).toEqual([]);
    expect(await auditRow('operator_notice.read', notice!.id)).toMatchObject({ actor_id: colleague.id });
    const again = await api('POST', `/api/v1/auth/notices/${notice!.id}/read`, undefined, theirs.headers);
    expect(again.statusCode).toBe(409);
    // Someone else's notice is not found.
    expect(
      (await api('POST', `/api/v1/auth/notices/${notice!.id}/read`, undefined, grantor.headers)).statusCode,
    ).toBe(404);
  });

  it('treats a new account with a sending role as a grant, and a role that sends nothing as none', async () => {
    const created = await api('POST', '/api/v1/operators', {
      username: 'new.em',
      displayName: 'New EM',
      roles: ['emergency_management'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().operator.id as string;
    expect(await auditRow('operator.roles.grant_sending', id)).toMatchObject({
      before: { roles: [] },
      after: { roles: ['emergency_management'] },
    });
    const viewer = await api('POST', '/api/v1/operators', {
      username: 'new.viewer',
      displayName: 'New viewer',
      roles: ['viewer'],
    });
    expect(await auditRow('operator.roles.grant_sending', viewer.json().operator.id)).toBeUndefined();
  });
});

describe('API tokens', () => {
  it('creates a scoped token shown once, which works until it is revoked', async () => {
    const r = await api('POST', '/api/v1/tokens', {
      name: 'Prometheus',
      permissions: ['metrics.read'],
      expiresInDays: 30,
    });
    expect(r.statusCode, r.body).toBe(201);
    const { token, apiToken } = r.json();
    expect(token).toMatch(/^tocsin_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const stored = await sys.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(token.split('_')[2]);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await sys.app!.inject({ url: '/metrics', headers: bearer })).statusCode).toBe(200);
    expect((await sys.app!.inject({ url: '/api/v1/operators', headers: bearer })).statusCode).toBe(403);
    const list = await api('GET', '/api/v1/tokens');
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect((await api('DELETE', `/api/v1/tokens/${apiToken.id}`)).statusCode).toBe(200);
    expect((await sys.app!.inject({ url: '/metrics', headers: bearer })).statusCode).toBe(401);
    expect((await api('DELETE', `/api/v1/tokens/${apiToken.id}`)).statusCode).toBe(409);
  });

  it('cannot grant a permission its creator lacks', async () => {
    const r = await api('POST', '/api/v1/tokens', {
      name: 'Too strong',
      permissions: ['alerts.send.emergency'],
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toMatch(/lack: alerts\.send\.emergency/);
  });

  it('stops working when it expires', async () => {
    const r = await api('POST', '/api/v1/tokens', {
      name: 'Short',
      permissions: ['metrics.read'],
      expiresInDays: 1,
    });
    const { token, apiToken } = r.json();
    await sys.ctx.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', apiToken.id)
      .execute();
    expect(
      (await sys.app!.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
  });
});
