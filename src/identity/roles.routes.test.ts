import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import type { RolesView } from './roles.schema.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

describe('GET /api/v1/roles', () => {
  it('lists the profile’s roles with title, description, privilege and permissions, in profile order', async () => {
    const admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
    const r = await sys.app!.inject({ url: '/api/v1/roles', headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    const { roles } = r.json() as RolesView;
    expect(roles.map((x) => x.key)).toEqual(Object.keys(sys.ctx.profile.roles));
    expect(roles.find((x) => x.key === 'emergency_management')).toMatchObject({
      title: 'MIT Emergency Management',
      privileged: true,
      description: expect.stringMatching(/MIT Alert/),
      permissions: expect.arrayContaining(['alerts.send.emergency', 'templates.manage']),
    });
    expect(roles.find((x) => x.key === 'viewer')).toMatchObject({
      privileged: false,
      permissions: ['alerts.read'],
    });
  });

  it('answers 403 without operators.read, to operators and tokens', async () => {
    const viewer = await signIn(sys.app!, await makeOperator(sys.ctx, ['viewer'], { mfa: false }));
    const r = await sys.app!.inject({ url: '/api/v1/roles', headers: viewer.headers });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.details.permission).toBe('operators.read');
    const token = await makeToken(sys.ctx, ['operators.read']);
    const ok = await sys.app!.inject({ url: '/api/v1/roles', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
  });
});
