import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeOperator, signIn } from '../../test/support/operators.js';
import { identityPurgeJob } from './identity.jobs.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

describe('the identity purge job', () => {
  it('deletes idle sessions and old login attempts, keeps live ones, and leaves a deletion receipt', async () => {
    const live = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const idle = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const liveSession = await signIn(sys.app!, live);
    await signIn(sys.app!, idle);
    await sys.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 3 * 3_600_000) })
      .where('operator_id', '=', idle.id)
      .execute();
    await sys.ctx.db
      .insertInto('login_attempts')
      .values({
        username: 'old',
        ip: '10.9.9.9',
        succeeded: false,
        attempted_at: new Date(Date.now() - 2 * 86_400_000),
      })
      .execute();

    await identityPurgeJob.handle(sys.ctx, {});

    const left = await sys.ctx.db.selectFrom('sessions').select('operator_id').execute();
    expect(left.map((s) => s.operator_id)).toContain(live.id);
    expect(left.map((s) => s.operator_id)).not.toContain(idle.id);
    expect(
      (await sys.app!.inject({ url: '/api/v1/auth/session', headers: liveSession.headers })).statusCode,
    ).toBe(200);
    const old = await sys.ctx.db
      .selectFrom('login_attempts')
      .select('id')
      .where('username', '=', 'old')
      .execute();
    expect(old).toHaveLength(0);
    const receipt = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'retention.purge')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(receipt.metadata).toMatchObject({ sessions: 1, loginAttempts: 1 });
    expect(JSON.stringify(receipt.metadata)).not.toContain('10.9.9.9');
  });
});
