import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTocsin } from '../../test/support/cli.js';
import { makeOperator, type TestOperator } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { authenticateApiToken } from '../identity/api-tokens.js';

let sys: TestSystem;
let env: Record<string, string>;
let emergencyManager: TestOperator;
let directoryManager: TestOperator;
beforeAll(async () => {
  sys = await startTestSystem({ serve: false });
  env = { DATABASE_URL: sys.database.url };
  emergencyManager = await makeOperator(sys.ctx, ['emergency_management']);
  directoryManager = await makeOperator(sys.ctx, ['directory_manager']);
}, 120_000);
afterAll(async () => {
  await sys.close();
});

const auditRows = (action: string) =>
  sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

// Each tocsin command starts a process that compiles TypeScript: on a busy machine, tens of seconds.
describe('tocsin tokens', { timeout: 300_000 }, () => {
  it('creates a token for an operator with some of their permissions, shows it once, lists and revokes it', async () => {
    const created = runTocsin(
      [
        'tokens',
        'create',
        '--for',
        emergencyManager.username,
        '--name',
        'EOC laptop',
        '--permission',
        'alerts.read,alerts.send.test',
        '--expires-in-days',
        '7',
      ],
      env,
    );
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      `"EOC laptop" for ${emergencyManager.username}: alerts.read, alerts.send.test; expires`,
    );
    const token = /Token \(shown once\): (\S+)/.exec(created.stdout)![1]!;
    const id = /Created token (\S+)/.exec(created.stdout)![1]!;
    const principal = await authenticateApiToken(sys.ctx, token);
    expect(principal).toMatchObject({ operator: emergencyManager.username, tokenId: id });
    expect([...principal!.permissions].sort()).toEqual(['alerts.read', 'alerts.send.test']);

    // Audited like the API, as the system run from this machine's command line; the operator is told.
    const [audit] = (await auditRows('api_token.create')).filter((r) => r.target_id === id);
    expect(audit).toMatchObject({
      actor_type: 'system',
      metadata: { forOperator: emergencyManager.username },
      after: { name: 'EOC laptop', permissions: ['alerts.read', 'alerts.send.test'] },
    });
    expect(audit!.actor_label).toMatch(/^cli:.+ \(system, server command line\)$/);
    const notice = await sys.ctx.db
      .selectFrom('operator_notices')
      .selectAll()
      .where('operator_id', '=', emergencyManager.id)
      .executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ kind: 'token_created_for_you' });
    expect(notice.message).toMatch(/created the API token "EOC laptop" that acts for you/);

    const listed = runTocsin(['tokens', 'list'], env);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+active\\s+for ${emergencyManager.username}`));
    expect(listed.stdout).not.toContain(token.split('_')[2]);

    const revoked = runTocsin(['tokens', 'revoke', id], env);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(`Revoked token ${id} "EOC laptop" of ${emergencyManager.username}.`);
    expect(await authenticateApiToken(sys.ctx, token)).toBeNull();
    expect((await auditRows('api_token.revoke')).map((r) => r.target_id)).toContain(id);
  });

  it('refuses permissions the operator does not hold, and makes SCIM tokens for those who hold scim.provision', async () => {
    const tooStrong = runTocsin(
      [
        'tokens',
        'create',
        '--for',
        emergencyManager.username,
        '--name',
        'x',
        '--permission',
        'tokens.manage',
      ],
      env,
    );
    expect(tooStrong.status).toBe(1);
    expect(tooStrong.stderr).toMatch(
      `A token carries only permissions its operator holds; ${emergencyManager.username} lacks: tokens.manage.`,
    );
    const scim = runTocsin(
      ['tokens', 'create', '--scim', '--for', directoryManager.username, '--name', 'Okta SCIM'],
      env,
    );
    expect(scim.status, scim.stderr).toBe(0);
    expect(scim.stdout).toMatch(`"Okta SCIM" for ${directoryManager.username}: scim.provision;`);
    const scimList = runTocsin(['tokens', 'list', '--scim'], env);
    expect(scimList.stdout).toMatch(/"Okta SCIM"\s+scim\.provision/);
    expect(scimList.stdout).not.toMatch(/EOC laptop/);
  });
});
