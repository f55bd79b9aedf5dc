import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, signedInAs } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { templateIdsFor } from '../../test/support/templates.js';
import type { AlertPreview, SendOptions } from './send-flow.schema.js';

let sys: TestSystem;
let dispatcher: Record<string, string>;
let viewer: Record<string, string>;
let administrator: Record<string, string>;
let shelter: string;
let outage: string;

beforeAll(async () => {
  sys = await startTestSystem();
  dispatcher = (await signedInAs(sys, ['police_dispatcher'])).headers;
  viewer = (await signedInAs(sys, ['viewer'], { mfa: false })).headers;
  administrator = (await signedInAs(sys, ['administrator'])).headers;
  [shelter, outage] = await templateIdsFor(sys, viewer, 'shelter_in_place', 'utility_outage');
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  templateId: shelter,
  kind: 'test',
  where: 'Building W20 (Stratton Student Center)',
  channels: ['sms', 'email'],
  ...over,
});
const preview = (payload: unknown, headers = dispatcher) =>
  sys.app!.inject({ method: 'POST', url: '/api/v1/alerts/preview', headers, payload: payload as object });
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('POST /api/v1/alerts/preview', () => {
  it('renders every channel per language of the template, as the delivery will', async () => {
    const r = await preview(body());
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as AlertPreview;
    expect(p.template).toMatchObject({ name: 'Shelter in place', hazard: 'shelter_in_place', version: 1 });
    expect(p.languages.map((l) => [l.language, l.languageName, l.primary])).toEqual([
      ['en', 'English', true],
      ['es', 'Spanish', false],
    ]);
    const [en, es] = p.languages;
    expect(en!.sms.text).toMatch(/^MIT Alert: TEST - Shelter in place\./);
    expect(en!.sms.text).toContain('Building W20 (Stratton Student Center)');
    expect(en!.sms).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number), ucs2Characters: [] });
    expect(en!.sms.characters).toBeGreaterThan(50);
    // "Refúgiese": ú is not in the GSM 03.38 alphabet.
    expect(es!.sms.encoding).toBe('UCS-2');
    expect(es!.sms.ucs2Characters).toContain('ú');
    expect(es!.sms.warnings.join(' ')).toMatch(/forces? UCS-2/);
    expect(es!.what).toBe('Refúgiese en el lugar.');
    expect(en!.voice.text).toMatch(/test/i);
    // Nothing to warn about a call that asks for no answers.
    expect(en!.voice.warnings).toEqual([]);
    expect(en!.warnings.filter((w) => w.includes('Voice'))).toEqual([]);
    expect(en!.email.subject).toMatch(/^MIT Alert: \[TEST\] Shelter in place\./);
    expect(en!.email.html).toContain('<html');
    expect(en!.x.length).toBeLessThanOrEqual(280);
    expect(en!.facebook.message).toContain('Shelter in place');
    expect(en!.signage).toMatchObject({ level: 'test', background: expect.stringMatching(/^#/) });
    expect(p.cap.xml).toContain('<status>Test</status>');
    expect(p.cap.xml).toContain('<language>es');
    expect(p.recordProblems).toEqual([]);
  });

  it('uses the operator’s what and actions in the primary language and the template’s in the others', async () => {
    const r = await preview(body({ what: 'Gas leak reported 😷.', actions: 'Stay inside.' }));
    const [en, es] = (r.json() as AlertPreview).languages;
    expect(en!.what).toBe('Gas leak reported 😷.');
    expect(en!.sms.encoding).toBe('UCS-2');
    expect(en!.sms.ucs2Characters).toEqual(['😷']);
    expect(en!.actions).toBe('Stay inside.');
    expect(es!.actions).toMatch(/^Entre ahora/);
  });

  it('shows each language’s words and reports the SMS fields cut short to fit, counted in the right alphabet', async () => {
    const long =
      'Se informó de una fuga de gas en el sótano; la policía y los bomberos están en camino. '.repeat(3);
    const r = await preview(
      body({
        translations: { es: { what: long.trim(), where: 'Edificio W20 (Centro Estudiantil Stratton)' } },
      }),
    );
    expect(r.statusCode, r.body).toBe(200);
    const [en, es] = (r.json() as AlertPreview).languages;
    expect(en!.sms.shortened).toEqual([]);
    expect(es!.where).toBe('Edificio W20 (Centro Estudiantil Stratton)');
    expect(es!.sms.encoding).toBe('UCS-2');
    expect(es!.sms.shortened).toContain('what');
    expect(es!.sms.text).toContain('...');
    const refused = await preview(body({ translations: { fr: { what: 'Fuite de gaz.' } } }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('translations.fr');
  });

  it.each([
    ['confirmed 5 minutes ago', 5, false, []],
    ['confirmed 20 minutes ago', 20, true, ['delayReason', 'delayDecidedBy']],
  ])('reports the Clery timing of an emergency %s', async (_name, minutes, required, problems) => {
    const r = await preview(
      body({
        kind: 'emergency',
        confirmedBy: 'Sgt. Rivera',
        confirmationSource: 'MIT Police officer on scene',
        confirmedAt: minutesAgo(minutes),
      }),
    );
    const p = r.json() as AlertPreview;
    expect(p.timing).toMatchObject({ thresholdMinutes: 15, delayReasonRequired: required });
    expect(new Date(p.timing.lateAfter!).getTime() - new Date(p.timing.confirmedAt!).getTime()).toBe(
      15 * 60_000,
    );
    expect(p.recordProblems.map((x) => x.field)).toEqual(problems);
  });

  it('lists what an emergency’s record lacks', async () => {
    const p = (await preview(body({ kind: 'emergency' }))).json() as AlertPreview;
    expect(p.recordProblems.map((x) => x.field)).toEqual([
      'confirmedBy',
      'confirmationSource',
      'confirmedAt',
    ]);
    expect(p.timing.delayReasonRequired).toBe(false);
  });

  it('accepts an audience and its reason, as the send does', async () => {
    const r = await preview(body({ audience: { locationCodes: ['W20'] }, audienceReason: 'Drill' }));
    expect(r.statusCode, r.body).toBe(200);
  });

  it.each([
    ['no template', { templateId: undefined }, 400, 'templateId'],
    ['a template id that is not a uuid', { templateId: 'shelter' }, 400, 'templateId'],
    ['an unknown template', { templateId: '00000000-0000-4000-8000-000000000009' }, 404, null],
    ['an unknown kind', { kind: 'panic' }, 400, 'kind'],
    ['an empty where', { where: '' }, 400, 'where'],
    ['no channels', { channels: [] }, 400, 'channels'],
    ['a channel the profile lacks', { channels: ['pigeon'] }, 400, 'channels'],
    ['an unknown field', { colour: 'red' }, 400, 'colour'],
    ['a confirmation time that is not a time', { confirmedAt: 'yesterday' }, 400, 'confirmedAt'],
    ['a delay reason not on the list', { delayReason: 'lunch' }, 400, 'delayReason'],
    ['an over-long what', { what: 'x'.repeat(301) }, 400, 'what'],
  ])('answers %s with a 4xx naming the field', async (_name, over, status, field) => {
    const r = await preview(body(over));
    expect(r.statusCode, r.body).toBe(status);
    const error = r.json().error as { message: string; details?: unknown };
    expect(error.message.length).toBeGreaterThan(10);
    if (field) expect(JSON.stringify(error.details ?? error.message)).toContain(field);
  });

  it('refuses a kind the template’s hazard does not allow, naming the field', async () => {
    const r = await preview(body({ templateId: outage, kind: 'emergency' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({
      message: expect.stringMatching(/not for emergency alerts/),
      details: { field: 'kind' },
    });
  });

  it('answers a body that is not JSON with a 400', async () => {
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts/preview',
      headers: { ...dispatcher, 'content-type': 'application/json' },
      payload: '{"templateId":',
    });
    expect(r.statusCode).toBe(400);
  });

  it('needs alerts.read', async () => {
    expect((await preview(body(), administrator)).statusCode).toBe(403);
    expect((await preview(body(), {})).statusCode).toBe(401);
    expect((await preview(body(), viewer)).statusCode).toBe(200);
  });

  it('takes exactly the fields of POST /api/v1/alerts', async () => {
    const doc = (await sys.app!.inject({ url: '/api/docs/json' })).json() as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: Schema }> } } }>;
    };
    type Schema = { properties: Record<string, unknown>; required?: string[] };
    const schemaOf = (p: string) => doc.paths[p]!.post.requestBody.content['application/json']!.schema;
    const send = schemaOf('/api/v1/alerts');
    const previewSchema = schemaOf('/api/v1/alerts/preview');
    expect(Object.keys(previewSchema.properties).sort()).toEqual(Object.keys(send.properties).sort());
    expect(send.required!.filter((f) => !['audience', 'audienceReason'].includes(f)).sort()).toEqual(
      [...previewSchema.required!].sort(),
    );
  });
});

describe('GET /api/v1/alerts/send-options', () => {
  it('gives a dispatcher the kinds, channels, languages, delay reasons and threshold', async () => {
    const r = await sys.app!.inject({ url: '/api/v1/alerts/send-options', headers: dispatcher });
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json() as SendOptions;
    expect(o.kinds.map((k) => k.kind)).toEqual(['emergency', 'operations', 'test', 'exercise']);
    expect(o.channels.map((c) => c.channel)).toEqual(sys.ctx.profile.alerts.channels);
    expect(o.delayReasons).toHaveLength(4);
    expect(o.initiationDelayThresholdMinutes).toBe(15);
    expect(o.confirmationSources.length).toBeGreaterThan(3);
  });

  it('gives a viewer nothing to send, and a token the kinds its permissions allow', async () => {
    const v = (await sys.app!.inject({ url: '/api/v1/alerts/send-options', headers: viewer })).json();
    expect(v.kinds).toEqual([]);
    const bearer = `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test'])}`;
    const t = await sys.app!.inject({
      url: '/api/v1/alerts/send-options',
      headers: { authorization: bearer },
    });
    expect((t.json() as SendOptions).kinds.map((k) => k.kind)).toEqual(['test', 'exercise']);
  });

  it('needs alerts.read', async () => {
    const r = await sys.app!.inject({ url: '/api/v1/alerts/send-options', headers: administrator });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message.length).toBeGreaterThan(10);
  });
});
