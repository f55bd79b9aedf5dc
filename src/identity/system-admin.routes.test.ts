import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, signedInAs, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';

// What the console's administration screens need beyond the operator and audit APIs as they were:
// ending an operator's sessions, their last sign-in, and the audit log by time.
let sys: TestSystem;
let admin: SignedIn;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await signedInAs(sys, ['administrator']);
});
afterAll(async () => {
  await sys.close();
});

describe('ending an operator’s sessions', () => {
  it('ends every open session, audits the count, and leaves the account usable', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const first = await signIn(sys.app!, op);
    await signIn(sys.app!, op);
    const r = await sys.app!.inject({
      method: 'DELETE',
      url: `/api/v1/operators/${op.id}/sessions`,
      headers: admin.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ ended: 2 });
    const after = await sys.app!.inject({ url: '/api/v1/auth/session', headers: first.headers });
    expect(after.statusCode).toBe(401);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'operator.sessions_end')
      .where('target_id', '=', op.id)
      .executeTakeFirstOrThrow();
    expect(audit.metadata).toEqual({ ended: 2 });
    await signIn(sys.app!, op);
  });

  it('answers 404 for an unknown operator and 403 without operators.manage', async () => {
    const missing = await sys.app!.inject({
      method: 'DELETE',
      url: '/api/v1/operators/00000000-0000-4000-8000-000000000000/sessions',
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    const chief = await signedInAs(sys, ['police_chief']);
    const r = await sys.app!.inject({
      method: 'DELETE',
      url: '/api/v1/operators/00000000-0000-4000-8000-000000000000/sessions',
      headers: chief.headers,
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('an operator’s last sign-in', () => {
  it('is in the list and the record, null before the first one', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const before = (
      await sys.app!.inject({ url: `/api/v1/operators/${op.id}`, headers: admin.headers })
    ).json();
    expect(before.lastSignInAt).toBeNull();
    const started = Date.now();
    await signIn(sys.app!, op);
    const one = (await sys.app!.inject({ url: `/api/v1/operators/${op.id}`, headers: admin.headers })).json();
    expect(new Date(one.lastSignInAt).getTime()).toBeGreaterThanOrEqual(started - 1000);
    const list = (
      await sys.app!.inject({ url: '/api/v1/operators?limit=500', headers: admin.headers })
    ).json();
    expect(list.operators.find((o: { id: string }) => o.id === op.id).lastSignInAt).toBe(one.lastSignInAt);
  });
});

describe('the audit log by time', () => {
  it('keeps rows at or after since and before until', async () => {
    const all = (await sys.app!.inject({ url: '/api/v1/audit?limit=500', headers: admin.headers })).json();
    const middle = all.rows[Math.floor(all.rows.length / 2)];
    const since = await sys.app!.inject({
      url: `/api/v1/audit?limit=500&since=${encodeURIComponent(middle.occurredAt)}`,
      headers: admin.headers,
    });
    expect(since.statusCode, since.body).toBe(200);
    const sinceRows = since.json().rows as Array<{ occurredAt: string }>;
    expect(sinceRows.length).toBeGreaterThan(0);
    expect(sinceRows.every((row) => row.occurredAt >= middle.occurredAt)).toBe(true);
    const until = (
      await sys.app!.inject({
        url: `/api/v1/audit?limit=500&until=${encodeURIComponent(middle.occurredAt)}`,
        headers: admin.headers,
      })
    ).json().rows as Array<{ occurredAt: string }>;
    expect(until.every((row) => row.occurredAt < middle.occurredAt)).toBe(true);
    const bad = await sys.app!.inject({ url: '/api/v1/audit?since=yesterday', headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/since/);
  });

  it('says when the last checkpoint was signed', async () => {
    const r = await sys.app!.inject({ url: '/api/v1/audit/verification', headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toHaveProperty('lastCheckpointAt');
  });
});
