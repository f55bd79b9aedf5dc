import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeToken } from '../../test/support/operators.js';

let sys: TestSystem;
let manager: Record<string, string>;
let reader: Record<string, string>;
let fire: string;
beforeAll(async () => {
  sys = await startTestSystem({ work: false });
  manager = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'templates.manage'])}` };
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  const templates = await sys.app!.inject({ url: '/api/v1/templates', headers: reader });
  fire = templates.json().templates.find((t: { hazard: string }) => t.hazard === 'fire').id;
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const text = (what: string) => ({ what, where: 'Building {where}', actions: 'Leave by the nearest exit.' });

describe('template versions', () => {
  it('saves a new version for every language and keeps the earlier one unchanged', async () => {
    const before = (await sys.app!.inject({ url: `/api/v1/templates/${fire}`, headers: reader })).json();
    const saved = await sys.app!.inject({
      method: 'POST',
      url: `/api/v1/templates/${fire}/versions`,
      headers: manager,
      payload: { languages: { en: text('Fire reported'), es: text('Incendio reportado') } },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ version: before.version + 1, cap: before.cap });
    expect(saved.json().languages.es.what).toBe('Incendio reportado');
    const versions = (
      await sys.app!.inject({ url: `/api/v1/templates/${fire}/versions`, headers: reader })
    ).json();
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([
      before.version + 1,
      before.version,
    ]);
    expect(versions.versions[0].languages).toEqual(['en', 'es']);
    const old = await sys.app!.inject({
      url: `/api/v1/templates/${fire}/versions/${before.version}`,
      headers: reader,
    });
    expect(old.json().languages).toEqual(before.languages);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'template.version')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses bad versions with a clear 4xx', async () => {
    const post = (payload: unknown, headers = manager) =>
      sys.app!.inject({
        method: 'POST',
        url: `/api/v1/templates/${fire}/versions`,
        headers,
        payload: payload as object,
      });
    expect((await post({ languages: { es: text('x') } })).json().error.message).toMatch(
      /primary language "en"/,
    );
    expect((await post({ languages: { en: text('x'), fr: text('y') } })).json().error.message).toMatch(
      /not in the profile: fr/,
    );
    expect((await post({ languages: { en: { ...text('x'), what: '' } } })).statusCode).toBe(400);
    expect((await post({ languages: { en: text('x') }, cap: { category: 'Nope' } })).statusCode).toBe(400);
    expect((await post({ languages: { en: text('x') }, extra: 1 })).statusCode).toBe(400);
    expect((await post({ languages: { en: text('x') } }, reader)).statusCode).toBe(403);
    const missing = await sys.app!.inject({
      url: `/api/v1/templates/${fire}/versions/999`,
      headers: reader,
    });
    expect(missing.statusCode).toBe(404);
  });
});
