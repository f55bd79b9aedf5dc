import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { runTocsin } from '../../../test/support/cli.js';
import { parseEscalateAfter } from '../../cli/alert-command.js';

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
  expect(runTocsin(['migrate'], env).status).toBe(0);
}, 60_000);
afterAll(async () => {
  await database.drop();
});

const send = (...extra: string[]) =>
  runTocsin(
    [
      'alert',
      'send',
      '--test',
      '--template',
      'shelter_in_place',
      '--where',
      'W20',
      '--audience',
      'everyone',
      '--channels',
      'sms,email',
      ...extra,
    ],
    env,
  );

describe('tocsin alert send --ack --escalate-after', () => {
  it('stores the request and queues the escalation', async () => {
    const sent = send('--ack', '--escalate-after', '10');
    expect(sent.status, sent.stderr).toBe(0);
    const id = /Alert (\S+) is sending/.exec(sent.stdout)![1]!;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const alert = await client.query(
        'select acknowledgement_requested, escalation_minutes from alerts where id = $1',
        [id],
      );
      expect(alert.rows[0]).toEqual({ acknowledgement_requested: true, escalation_minutes: 10 });
      const job = await client.query(
        `select extract(epoch from start_after - created_on)::int as delay from pgboss.job where name = 'alert.escalate' and data->>'alertId' = $1`,
        [id],
      );
      expect(job.rows).toEqual([{ delay: 600 }]);
    } finally {
      await client.end();
    }
  });

  it('reads --escalate-after as whole minutes', () => {
    expect(parseEscalateAfter(undefined)).toBeUndefined();
    expect(parseEscalateAfter(' 15 ')).toBe(15);
    for (const bad of ['soon', '-5', '1.5', '', '99999'])
      expect(() => parseEscalateAfter(bad)).toThrow(
        /--escalate-after must be a number of minutes from 1 to 1440/,
      );
  });
});
