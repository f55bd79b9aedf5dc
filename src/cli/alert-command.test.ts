import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { runTocsin, spawnTocsin } from '../../test/support/cli.js';
import { parseAudience } from './alert-command.js';

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
  expect(runTocsin(['migrate'], env).status).toBe(0);
  expect(runTocsin(['demo', '--people', '300', '--no-operators'], env).status).toBe(0);
}, 60_000);
afterAll(async () => {
  await database.drop();
});

describe('tocsin alert', () => {
  it('reads audiences', () => {
    expect(parseAudience('building:W20,N52; affiliation:student')).toEqual({
      locationCodes: ['W20', 'N52'],
      affiliations: ['student'],
    });
    expect(parseAudience('everyone')).toEqual({ everyone: true });
    expect(() => parseAudience('planet:mars')).toThrow(/Unknown audience "planet:mars"/);
  });

  it(
    'sends a shelter-in-place test for W20 that a worker delivers to the outbox',
    { timeout: 90_000 },
    async () => {
      const sent = runTocsin(
        [
          'alert',
          'send',
          '--test',
          '--template',
          'shelter_in_place',
          '--where',
          'Building W20',
          '--audience',
          'building:W20',
          '--channels',
          'sms,email',
        ],
        env,
      );
      expect(sent.status, sent.stderr).toBe(0);
      const id = /Alert (\S+) is sending/.exec(sent.stdout)![1]!;
      const worker = spawnTocsin(['worker'], env);
      try {
        await worker.waitFor(/worker running/);
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

  it('refuses an unknown template with the list of templates', () => {
    const r = runTocsin(
      ['alert', 'send', '--template', 'meteor', '--where', 'x', '--audience', 'everyone'],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No template "meteor"\. Templates: .*shelter_in_place/);
  });
});
