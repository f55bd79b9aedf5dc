import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { makeToken } from '../../../test/support/operators.js';

let sys: TestSystem;
let auth: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem({ work: true });
  auth = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.sync', 'directory.read'])}` };
});
afterAll(async () => {
  await sys.close();
});

const header = 'kerberos,affiliation,first_name,last_name,email,mobile';
const file = (n: number, extra: string[] = []) =>
  [
    header,
    ...Array.from(
      { length: n },
      (_, i) =>
        `p${i},student,Given${i},Family${i},p${i}@example.edu,617-555-01${String(i % 100).padStart(2, '0')}`,
    ),
    ...extra,
  ].join('\n');

async function settled(id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await sys.app!.inject({ url: `/api/v1/directory/syncs/${id}`, headers: auth });
    const run = r.json();
    if (!['queued', 'running'].includes(run.status) || Date.now() > deadline) return run;
    await new Promise((res) => setTimeout(res, 100));
  }
}

const upload = (body: string, query = '') =>
  sys.app!.inject({
    method: 'POST',
    url: `/api/v1/directory/syncs/csv${query}`,
    headers: { ...auth, 'content-type': 'text/csv' },
    payload: body,
  });

describe('directory sync over the API', () => {
  it('previews an upload as a job, shows the diff and row errors, then applies the previewed run', async () => {
    const queued = await upload(file(30, ['bad,student,X,Y,nope,1']), '?name=registrar.csv');
    expect(queued.statusCode, queued.body).toBe(202);
    const preview = await settled(queued.json().id);
    expect(preview).toMatchObject({
      status: 'previewed',
      mode: 'dry_run',
      inputName: 'registrar.csv',
      counts: { rows: 31, adds: 30, errors: 1 },
    });
    expect(preview.diff.adds).toHaveLength(30);
    expect(preview.rowErrors[0]).toMatchObject({ line: 32, institutionalId: 'bad' });
    const people = await sys.ctx.db.selectFrom('people').select('id').execute();
    expect(people).toHaveLength(0);

    const apply = await sys.app!.inject({
      method: 'POST',
      url: `/api/v1/directory/syncs/${preview.id}/apply`,
      headers: auth,
      payload: {},
    });
    expect(apply.statusCode).toBe(202);
    const applied = await settled(preview.id);
    expect(applied).toMatchObject({ status: 'applied', mode: 'apply', counts: { adds: 30 } });
    expect(applied.counts.durationMs).toBeGreaterThanOrEqual(0);
    expect(
      (
        await sys.app!.inject({
          method: 'POST',
          url: `/api/v1/directory/syncs/${preview.id}/apply`,
          headers: auth,
          payload: {},
        })
      ).statusCode,
    ).toBe(409);

    const list = await sys.app!.inject({ url: '/api/v1/directory/syncs', headers: auth });
    expect(list.json().runs[0]).toMatchObject({ id: preview.id, status: 'applied' });
  });

  it('refuses a truncated file with the brake, and applies it when forced', async () => {
    const refused = await settled((await upload(file(5), '?dryRun=false')).json().id);
    expect(refused.status).toBe('refused');
    expect(refused.message).toMatch(/would deactivate 25 of 30/);
    const forced = await settled((await upload(file(5), '?dryRun=false&force=true')).json().id);
    expect(forced).toMatchObject({ status: 'applied', forced: true, counts: { deactivations: 25 } });
  });

  it('fails a file it cannot read, with the reason', async () => {
    const failed = await settled((await upload('name,phone\nA,1')).json().id);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/lacks required column/);
  });

  it('says what each feed expects: the CSV columns, whether LDAP is configured, the SCIM URL and the brake', async () => {
    const r = await sys.app!.inject({ url: '/api/v1/directory/feeds', headers: auth });
    expect(r.statusCode, r.body).toBe(200);
    const feeds = r.json();
    expect(feeds.csv.columns).toContainEqual({
      field: 'institutionalId',
      column: 'kerberos',
      required: true,
    });
    expect(feeds.csv.columns).toContainEqual({ field: 'mobile', column: 'mobile', required: false });
    expect(feeds).toMatchObject({
      ldap: { configured: false },
      scim: { url: `${sys.config.publicUrl}/scim/v2` },
      maxDeactivationPercent: 5,
    });
  });

  it('answers bad uploads with a 4xx', async () => {
    expect((await upload('')).statusCode).toBe(400);
    const json = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/directory/syncs/csv',
      headers: auth,
      payload: { a: 1 },
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });
});
