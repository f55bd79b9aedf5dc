import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTocsin, spawnTocsin } from '../../test/support/cli.js';
import { makeOperator, type TestOperator } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { generateDemoCampus } from '../directory/demo/generate-demo-campus.js';
import { createTokenForOperator } from '../identity/create-token-for-operator.js';
import { noRequest, systemActor } from '../platform/actor.js';
import { parseAudience, parseEscalateAfter } from './alert-command.js';

// Each tocsin command starts a process that compiles TypeScript: on a busy machine, tens of seconds.
const slow = { timeout: 240_000 };

let sys: TestSystem;
let env: Record<string, string>;
let emergencyManager: TestOperator;
let viewer: TestOperator;
beforeAll(async () => {
  sys = await startTestSystem({ serve: false });
  env = { DATABASE_URL: sys.database.url };
  await generateDemoCampus(sys.ctx, systemActor, { people: 300 });
  emergencyManager = await makeOperator(sys.ctx, ['emergency_management']);
  viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
}, 120_000);
afterAll(async () => {
  await sys.close();
});

/** A token that acts for the operator, as `tocsin tokens create --for` makes one. */
async function tokenFor(op: TestOperator, permissions: string[]): Promise<string> {
  const { token } = await createTokenForOperator(sys.ctx, systemActor, {
    username: op.username,
    name: `${op.username} on the command line`,
    permissions,
    request: noRequest,
  });
  return token;
}

const sendW20 = (kind: string) => [
  'alert',
  'send',
  '--kind',
  kind,
  '--template',
  'shelter_in_place',
  '--where',
  'Building W20',
  '--audience',
  'building:W20',
  '--channels',
  'sms,email',
];

const alertCount = async () =>
  Number(
    (
      await sys.ctx.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('tocsin alert', () => {
  it('reads audiences', () => {
    expect(parseAudience('building:W20,N52; affiliation:student')).toEqual({
      locationCodes: ['W20', 'N52'],
      affiliations: ['student'],
    });
    expect(parseAudience('everyone')).toEqual({ everyone: true });
    expect(() => parseAudience('planet:mars')).toThrow(/Unknown audience "planet:mars"/);
  });

  it('refuses to send, update or close without an operator’s token', slow, async () => {
    const before = await alertCount();
    const send = runTocsin(sendW20('test'), env);
    expect(send.status).toBe(1);
    expect(send.stderr).toMatch(/tocsin alert send acts for an operator: set TOCSIN_TOKEN/);
    const close = runTocsin(['alert', 'close', '00000000-0000-4000-8000-000000000001'], env);
    expect(close.status).toBe(1);
    expect(close.stderr).toMatch(/tocsin alert close acts for an operator/);
    expect(await alertCount()).toBe(before);
    const unknown = runTocsin(sendW20('test'), { ...env, TOCSIN_TOKEN: 'tocsin_nottherightshape' });
    expect(unknown.stderr).toMatch(/The API token is malformed, unknown, expired or revoked\./);
  });

  it('refuses a token whose operator may not send, in the API’s words', slow, async () => {
    const before = await alertCount();
    const reader = await tokenFor(viewer, ['alerts.read']);
    const emergency = runTocsin(
      [...sendW20('emergency'), '--confirmed-by', 'Sgt. Example', '--source', 'radio'],
      { ...env, TOCSIN_TOKEN: reader },
    );
    expect(emergency.status).toBe(1);
    expect(emergency.stderr).toMatch(
      /^Your roles may not send emergency alerts \(needs alerts\.send\.emergency\)\./,
    );

    // The floor every alert route requires, refused and audited as over HTTP.
    const sender = await tokenFor(emergencyManager, ['alerts.send.test']);
    const noRead = runTocsin([...sendW20('test'), '--token', sender], env);
    expect(noRead.stderr).toMatch(/^You do not have permission to do this \(needs alerts\.read\)\./);
    const denied = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('actor_label', '=', emergencyManager.username)
      .executeTakeFirstOrThrow();
    expect(denied).toMatchObject({
      actor_type: 'api_token',
      metadata: { permission: 'alerts.read', command: 'tocsin alert send' },
    });
    expect(await alertCount()).toBe(before);
  });

  it(
    'sends a test as the operator whose token it holds, audited as them, and a worker delivers it to the outbox',
    { timeout: 300_000 },
    async () => {
      const token = await tokenFor(emergencyManager, ['alerts.read', 'alerts.send.test']);
      const wrong = runTocsin([...sendW20('test'), '--as', viewer.username], { ...env, TOCSIN_TOKEN: token });
      expect(wrong.stderr).toMatch(
        `This token acts for ${emergencyManager.username}, not ${viewer.username}`,
      );
      const ok = runTocsin([...sendW20('test'), '--as', emergencyManager.username], {
        ...env,
        TOCSIN_TOKEN: token,
      });
      expect(ok.status, ok.stderr).toBe(0);
      const id = /Alert (\S+) is sending/.exec(ok.stdout)![1]!;
      const alert = await sys.ctx.db
        .selectFrom('alerts')
        .select(['created_by', 'sent_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(alert).toEqual({ created_by: emergencyManager.username, sent_by: emergencyManager.username });
      const audit = await sys.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'alert.send')
        .where('target_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_type: 'api_token', actor_label: emergencyManager.username });
      expect(audit.actor_label).not.toMatch(/^cli:/);

      const worker = spawnTocsin(['worker'], env);
      try {
        await worker.waitFor(/worker running/, 120_000);
        const watched = runTocsin(['alert', 'status', id, '--watch'], env);
        expect(watched.status, watched.stderr).toBe(0);
        const status = watched.stdout.slice(watched.stdout.lastIndexOf('test alert '));
        expect(status).toMatch(/test alert .*: sent \(shelter_in_place, template v1\)/);
        expect(status).toMatch(/channel\s+total\s+done\s+waiting\s+sent\s+delivered/);
        expect(status).toMatch(/\n {2}sms\s+\d+\s+100%\s+0\s+0\s+\d+/);
        expect(runTocsin(['alert', 'status', 'nope'], env).stderr).toMatch(/"nope" is not an alert id/);
        const outbox = runTocsin(['outbox', '--channel', 'sms', '--limit', '1'], env);
        expect(outbox.stdout).toMatch(/MIT Alert: TEST - Shelter in place\./);
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited();
      }
    },
  );

  it('sends with --ack --escalate-after: stores the request and queues the escalation', slow, async () => {
    const token = await tokenFor(emergencyManager, ['alerts.read', 'alerts.send.test']);
    const sent = runTocsin([...sendW20('test'), '--ack', '--escalate-after', '10'], {
      ...env,
      TOCSIN_TOKEN: token,
    });
    expect(sent.status, sent.stderr).toBe(0);
    const id = /Alert (\S+) is sending/.exec(sent.stdout)![1]!;
    const alert = await sys.ctx.db
      .selectFrom('alerts')
      .select(['acknowledgement_requested', 'escalation_minutes'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(alert).toEqual({ acknowledgement_requested: true, escalation_minutes: 10 });
    const job = await sql<{ delay: number }>`
      select extract(epoch from start_after - created_on)::int as delay
      from pgboss.job where name = 'alert.escalate' and data->>'alertId' = ${id}`.execute(sys.ctx.db);
    expect(job.rows).toEqual([{ delay: 600 }]);
  });

  it('reads --escalate-after as whole minutes', () => {
    expect(parseEscalateAfter(undefined)).toBeUndefined();
    expect(parseEscalateAfter(' 15 ')).toBe(15);
    for (const bad of ['soon', '-5', '1.5', '', '99999'])
      expect(() => parseEscalateAfter(bad)).toThrow(
        /--escalate-after must be a number of minutes from 1 to 1440/,
      );
  });

  it('refuses an unknown template with the list of templates', slow, async () => {
    const token = await tokenFor(emergencyManager, ['alerts.read', 'alerts.send.test']);
    const r = runTocsin(['alert', 'send', '--template', 'meteor', '--where', 'x', '--audience', 'everyone'], {
      ...env,
      TOCSIN_TOKEN: token,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No template "meteor"\. Templates: .*shelter_in_place/);
  });
});
