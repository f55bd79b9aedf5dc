import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormBrowser, hidden, hiddenFields, signInWithForms } from '../../../test/support/form-browser.js';
import { makeOperator, makeToken, type TestOperator } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { systemActor } from '../../platform/actor.js';
import { localInputValue } from './local-time.js';

let sys: TestSystem;
let dispatcher: TestOperator;
let browser: FormBrowser;
let templates: Record<string, string>;
const zone = 'America/New_York';

beforeAll(async () => {
  sys = await startTestSystem({ work: true });
  await generateDemoCampus(sys.ctx, systemActor, { people: 200 });
  dispatcher = await makeOperator(sys.ctx, ['police_dispatcher']);
  const signedIn = await signInWithForms(sys, dispatcher, '/send');
  expect(signedIn.landed).toBe('/send');
  browser = signedIn.browser;
  const rows = await sys.ctx.db.selectFrom('alert_templates').select(['id', 'hazard']).execute();
  templates = Object.fromEntries(rows.map((r) => [r.hazard, r.id]));
}, 60_000);
afterAll(async () => {
  await sys.close();
});

/** The fields of a test alert to building W20 by SMS and email, as the form posts them. */
const testAlert = (over: Record<string, string | string[]> = {}) => ({
  templateId: templates.shelter_in_place!,
  kind: 'test',
  where: 'Building W20, the Student Center',
  audience: 'locations',
  locationCodes: 'W20',
  channels: ['sms', 'email'],
  confirmedBy: 'Dispatcher on duty',
  confirmedAt: localInputValue(new Date(), zone),
  ...over,
});

async function postForm(fields: Record<string, string | string[]>, who = browser) {
  const form = await who.get('/send');
  return who.post('/send', { _csrf: hidden(form.body, '_csrf'), ...fields });
}

/** The opening tag of the element with this id (attributes in any order, over several lines). */
const tag = (page: string, id: string) => new RegExp(`<[a-z]+\\s[^>]*id="${id}"[^>]*>`).exec(page)?.[0] ?? '';
const isChecked = (page: string, id: string) => /\schecked[\s>/]/.test(tag(page, id));

const alertCount = async () =>
  Number(
    (
      await sys.ctx.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const storedAlert = (id: string) =>
  sys.ctx.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const idFrom = (location: unknown) => /^\/send\/alerts\/([0-9a-f-]{36})\?done=/.exec(String(location))?.[1];
const auditOf = (action: string, alertId: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', alertId)
    .executeTakeFirst();

async function untilSent(alertId: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const row = await sys.ctx.db
      .selectFrom('alerts')
      .select('status')
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    if (row.status === 'sent') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alert ${alertId} did not finish sending`);
}

describe('GET /send', () => {
  it('shows a signed-in sender one plain form: no script, nothing from elsewhere, the templates most used first', async () => {
    const page = await browser.get('/send');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    // The one link is the favicon, written into the page (a data: address, no request).
    expect(page.body).not.toMatch(/<script|<link(?! rel="icon" href="data:)|src="http/i);
    expect(page.body.match(/<form method="post" action="\/send"/g)).toHaveLength(1);
    expect(page.body).toContain(`name="_csrf" value="${hidden(page.body, '_csrf')}"`);
    for (const kind of ['emergency', 'operations', 'test', 'exercise']) {
      expect(tag(page.body, `kind-${kind}`)).toContain(`value="${kind}"`);
      expect(isChecked(page.body, `kind-${kind}`), kind).toBe(false);
    }
    expect(page.body).toContain('<option value="" selected>Choose a template</option>');
    expect(page.body).not.toContain(`value="${templates.all_clear}"`);
    expect(page.body).toContain('What each template says');
    expect(isChecked(page.body, 'channels-voice')).toBe(true);
    expect(page.body).toContain('name="confirmedBy"');
    expect(page.body).toContain(`value="Operator ${dispatcher.username}"`);
    expect(page.body).toMatch(/type="datetime-local" value="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"/);
    expect(page.body).toContain('Send alert now');
  });

  it('sends someone not signed in to sign in and back, and a half-signed-in one to their step', async () => {
    const anonymous = await new FormBrowser(sys).get('/send');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=/send');
    const someId = '00000000-0000-4000-8000-000000000001';
    expect((await new FormBrowser(sys).get(`/send/alerts/${someId}`)).headers.location).toBe(
      `/login?next=/send/alerts/${someId}`,
    );

    const op = await makeOperator(sys.ctx, ['emergency_management']);
    const half = new FormBrowser(sys);
    const login = await half.get('/login');
    await half.post('/login', {
      _csrf: hidden(login.body, '_csrf'),
      username: op.username,
      password: op.password,
    });
    const r = await half.get('/send');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/login/mfa?next=/send');
  });

  it('tells an operator without a send permission so in words, and records the refusal', async () => {
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const { browser: b, landed } = await signInWithForms(sys, viewer, '/send');
    expect(landed).toBe('/send');
    const r = await b.get('/send');
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('may not send alerts');
    expect(r.body).toContain('MIT Police');
    const denied = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('actor_id', '=', viewer.id)
      .executeTakeFirst();
    expect(denied?.metadata).toMatchObject({ permission: 'alerts.send.*', route: '/send' });
  });

  it('refuses an API token with a page that points at the API', async () => {
    const token = await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test']);
    const r = await sys.app!.inject({ url: '/send', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('POST /api/v1/alerts');
  });
});

describe('POST /send', () => {
  it('sends a test alert to W20, records it with its audit row and shows its status page', async () => {
    const before = await alertCount();
    const r = await postForm(testAlert({ what: 'Drill: shelter in place.' }));
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303);
    expect(r.headers.location).toMatch(/\?done=sent$/);
    const id = idFrom(r.headers.location)!;
    expect(await alertCount()).toBe(before + 1);
    const alert = await storedAlert(id);
    expect(alert).toMatchObject({
      kind: 'test',
      template_id: templates.shelter_in_place,
      audience: { locationCodes: ['W20'] },
      audience_reason: 'Chosen on the plain send form: buildings and zones W20.',
      channels: ['sms', 'email'],
      sent_by: dispatcher.username,
      confirmed_by: 'Dispatcher on duty',
    });
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('alert_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(message.content.en).toMatchObject({
      what: 'Drill: shelter in place.',
      where: 'Building W20, the Student Center',
    });
    const test = await sys.ctx.db
      .selectFrom('emergency_tests')
      .selectAll()
      .where('alert_id', '=', id)
      .executeTakeFirst();
    expect(test?.recorded_by).toBe(dispatcher.username);
    const audit = await auditOf('alert.send', id);
    expect(audit).toMatchObject({ actor_type: 'operator', actor_id: dispatcher.id, outcome: 'success' });

    const status = await browser.get(r.headers.location as string);
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('The alert is on its way');
    expect(status.body).toContain('Drill: shelter in place.');
    expect(status.body).toContain(`href="/send/alerts/${id}">Refresh</a>`);
    expect(status.body).not.toMatch(/http-equiv="refresh"|<script/i);
    await untilSent(id);
    const done = await browser.get(`/send/alerts/${id}`);
    expect(done.body).toContain('Sent: every channel is done');
    expect(done.body).toMatch(
      /<th scope="row">Email<\/th>\s*<td class="state">Done<\/td>\s*<td>\s*\d+ delivered/,
    );
  });

  it('records an emergency’s Clery facts, and past the threshold the reason for waiting and who decided', async () => {
    const confirmedAt = new Date(Date.now() - 30 * 60_000);
    const fields = testAlert({
      kind: 'emergency',
      templateId: templates.hazardous_materials!,
      audience: 'affiliations',
      locationCodes: '',
      affiliations: ['employee'],
      channels: ['email'],
      confirmationSource: 'MIT Police officer on scene',
      confirmedAt: localInputValue(confirmedAt, zone),
    });
    const late = await postForm(fields);
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('More than 15 minutes passed since confirmation');
    expect(late.body).toContain('Say who decided to wait.');

    const r = await postForm({ ...fields, delayReason: 'contain', delayDecidedBy: 'Chief on call' });
    expect(r.statusCode, r.body.slice(0, 800)).toBe(303);
    const id = idFrom(r.headers.location)!;
    const alert = await storedAlert(id);
    expect(alert).toMatchObject({
      kind: 'emergency',
      audience: { affiliations: ['employee'] },
      confirmed_by: 'Dispatcher on duty',
      confirmation_source: 'MIT Police officer on scene',
      delay_reason: 'contain',
      delay_decided_by: 'Chief on call',
    });
    expect(Math.abs(alert.confirmed_at!.getTime() - confirmedAt.getTime())).toBeLessThan(60_000);
    expect(await auditOf('alert.send', id)).toBeDefined();
  });

  it('sends once when the button is pressed twice, and says so the second time', async () => {
    const before = await alertCount();
    const form = await browser.get('/send');
    const fields = {
      _csrf: hidden(form.body, '_csrf'),
      ...testAlert({ locationCodes: 'N52', channels: ['email'] }),
    };
    const [a, b] = await Promise.all([browser.post('/send', fields), browser.post('/send', fields)]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(idFrom(a.headers.location)).toBe(idFrom(b.headers.location));
    expect(
      [a.headers.location, b.headers.location].filter((l) => String(l).endsWith('done=duplicate')),
    ).toHaveLength(1);
    const again = await browser.post('/send', fields);
    expect(again.headers.location).toMatch(/done=duplicate$/);
    expect(await alertCount()).toBe(before + 1);
    const shown = await browser.get(again.headers.location as string);
    expect(shown.body).toContain('it was not sent again');
    // Different words are a different alert.
    const other = await browser.post('/send', { ...fields, what: 'A second drill.' });
    expect(other.headers.location).toMatch(/done=sent$/);
  });

  it('lists the template sent most first', async () => {
    const page = await browser.get('/send');
    const options = [...page.body.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(options[0]).toBe(templates.shelter_in_place);
  });

  it('gives back a form posted without this session’s CSRF token from our own page, filled in, and sends nothing', async () => {
    const before = await alertCount();
    const typed = testAlert({ what: 'Drill: "shelter" & wait', actions: 'Stay <inside>.' });
    const r = await browser.post('/send', { ...typed, _csrf: 'an-earlier-sessions-token' });
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('Nothing was sent: this form was filled in before your latest sign-in.');
    expect(r.body).toContain('Drill: &quot;shelter&quot; &amp; wait');
    expect(r.body).toContain('Stay &lt;inside&gt;.');
    expect(tag(r.body, 'where')).toContain('value="Building W20, the Student Center"');
    const fresh = hidden(r.body, '_csrf');
    expect(fresh).toBe(hidden((await browser.get('/send')).body, '_csrf'));
    expect(await alertCount()).toBe(before);
    // Posted from nowhere it names, the same request gets a page and nothing typed back.
    const bare = await browser.post('/send', typed, { origin: null });
    expect(bare.statusCode).toBe(403);
    expect(bare.body).toContain('belongs to an earlier sign-in');
    expect(bare.body).not.toContain('shelter&quot;');
    expect(await alertCount()).toBe(before);
  });

  it('keeps what was typed when the session ended before Send, and sends it after signing in again', async () => {
    const operator = await makeOperator(sys.ctx, ['police_dispatcher']);
    const tab = (await signInWithForms(sys, operator, '/send')).browser;
    const form = await tab.get('/send');
    const what = 'Drill: kept across "sign-ins" & tabs';
    const typed = testAlert({ what, actions: 'Stay inside.' });
    // The session ends (idle, an administrator) while the form is open.
    await sys.ctx.db.deleteFrom('sessions').where('operator_id', '=', operator.id).execute();
    const before = await alertCount();
    const kept = await tab.post('/send', { _csrf: hidden(form.body, '_csrf'), ...typed });
    expect(kept.statusCode).toBe(401);
    expect(kept.body).toContain('Nothing was sent: your session ended before you pressed the button.');
    expect(kept.body).toContain('Drill: kept across &quot;sign-ins&quot; &amp; tabs');
    expect(kept.body).toContain('href="/login?next=/send" target="_blank"');
    const carried = hiddenFields(kept.body);
    expect(carried._csrf).toBeUndefined();
    expect(carried).toMatchObject({ what: [what], channels: ['sms', 'email'], locationCodes: ['W20'] });
    // Posted from elsewhere (no Origin or Referer of ours), nothing typed is echoed back.
    const blind = await new FormBrowser(sys).post('/send', typed, { origin: null });
    expect(blind.statusCode).toBe(401);
    expect(blind.body).not.toContain('kept across');
    expect(hiddenFields(blind.body)).toEqual({});
    // Pressed again before signing in: the same page, still nothing sent.
    expect((await tab.post('/send', carried)).statusCode).toBe(401);
    // Signed in again in another tab (the same browser's cookies), then the kept form is pressed.
    const later = new Date(Date.now() + 30_000); // the next TOTP step: a code is good once
    tab.cookies = (await signInWithForms(sys, operator, '/send', later)).browser.cookies;
    const back = await tab.post('/send', carried);
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('check it, then press Send alert now');
    expect(back.body).toContain('Drill: kept across &quot;sign-ins&quot; &amp; tabs');
    expect(await alertCount()).toBe(before);
    // Pressed as given back (the values are the ones typed, as checked above), with its new token.
    const sent = await tab.post('/send', { ...typed, _csrf: hidden(back.body, '_csrf') });
    expect(sent.statusCode, sent.body.slice(0, 400)).toBe(303);
    const id = idFrom(sent.headers.location)!;
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('alert_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(message.content.en).toMatchObject({ what, actions: 'Stay inside.' });
    expect(await storedAlert(id)).toMatchObject({
      sent_by: operator.username,
      audience: { locationCodes: ['W20'] },
    });
    await untilSent(id);
  });

  it('shows every problem of an empty form at its field and in a summary linking to it', async () => {
    const r = await postForm({ channels: [] as string[], confirmedBy: '', confirmedAt: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('The alert was not sent.');
    for (const [field, message] of [
      ['templateId', 'Choose a template.'],
      ['kind', 'Choose what kind of alert this is.'],
      ['where', 'Say where'],
      ['audience', 'Choose who gets the alert'],
      ['channels', 'Tick at least one channel.'],
    ]) {
      expect(r.body, field).toContain(`<a href="#${field}">${message}`);
      expect(r.body, field).toContain(`id="${field}-error"`);
    }
    expect(tag(r.body, 'where')).toContain('aria-invalid="true"');
    expect(tag(r.body, 'where')).toContain('aria-describedby="where-hint where-error"');
  });

  it('gives back every value typed, escaped, with the problem beside it', async () => {
    const typed = testAlert({
      kind: 'emergency',
      where: 'W20 <b>lobby</b>',
      what: 'Smoke "seen" & smelled',
      actions: 'Leave by the east doors',
      locationCodes: 'W20, N52',
      channels: ['sms', 'voice'],
      audienceReason: 'The two buildings nearest',
      confirmedBy: 'Officer Diaz',
      confirmationSource: '',
      confirmedAt: '2026-02-30 10:00',
      delayReason: 'respond',
      delayDecidedBy: 'Sgt. Lee',
    });
    const r = await postForm(typed);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('value="W20 &lt;b&gt;lobby&lt;/b&gt;"');
    expect(r.body).toContain('Smoke &quot;seen&quot; &amp; smelled</textarea>');
    expect(r.body).toContain('Leave by the east doors</textarea>');
    expect(r.body).toContain('value="W20, N52"');
    expect(r.body).toContain('value="The two buildings nearest"');
    expect(r.body).toContain('value="Officer Diaz"');
    expect(r.body).toContain('value="Sgt. Lee"');
    expect(r.body).toContain('type="text" value="2026-02-30 10:00"');
    expect(isChecked(r.body, 'kind-emergency')).toBe(true);
    expect(isChecked(r.body, 'kind-test')).toBe(false);
    expect(isChecked(r.body, 'audience-locations')).toBe(true);
    expect(isChecked(r.body, 'channels-voice')).toBe(true);
    expect(isChecked(r.body, 'channels-email')).toBe(false);
    expect(r.body).toMatch(/<option value="respond" selected>/);
    expect(r.body).toMatch(new RegExp(`<option value="${templates.shelter_in_place}" selected>`));
    expect(r.body).toContain('That day or time does not exist.');
    expect(r.body).toContain('Say how it was confirmed (the source).');
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['an oversized where', { where: 'x'.repeat(201) }, 'Keep this to 200 characters (it has 201).'],
    ['an oversized what', { what: 'x'.repeat(5000) }, 'Keep this to 300 characters (it has 5000).'],
    [
      'an unknown template',
      { templateId: '00000000-0000-4000-8000-000000000009' },
      'Choose one of the templates in the list',
    ],
    ['a template id that is no id', { templateId: "1' or 1=1" }, 'Choose one of the templates in the list'],
    ['a kind that does not exist', { kind: 'pigeon' }, 'Choose one of the kinds shown.'],
    ['a code that is no code', { locationCodes: 'W20, <N52>' }, 'Not a building or zone code: &lt;N52&gt;'],
    ['an unknown building code', { locationCodes: 'W20, ZZZ9' }, 'Unknown building or zone code(s): ZZZ9.'],
    [
      'unknown codes beside another problem',
      { locationCodes: 'ZZZ9', where: '' },
      'Unknown building or zone code(s): ZZZ9.',
    ],
    ['codes with no codes', { locationCodes: ' , ' }, 'Type one or more building or zone codes'],
    [
      'no affiliation ticked',
      { audience: 'affiliations', locationCodes: '' },
      'Tick one or more of students',
    ],
    [
      'an unknown affiliation',
      { audience: 'affiliations', affiliations: ['alumni'] },
      'Tick one or more of students',
    ],
    [
      'a channel the profile lacks',
      { channels: ['sms', 'pigeon'] },
      'Tick only the channels shown (not pigeon).',
    ],
    ['a date that is not one', { confirmedAt: 'yesterday at noon' }, 'Write the date and the 24-hour time'],
    ['a time that is not one', { confirmedAt: '2026-03-14 25:00' }, 'That day or time does not exist.'],
    ['an unknown delay reason', { delayReason: 'lunch' }, 'Choose one of the reasons in the list.'],
    [
      'an emergency confirmed in the future',
      {
        kind: 'emergency',
        confirmationSource: 'Call',
        confirmedAt: localInputValue(new Date(Date.now() + 3_600_000), zone),
      },
      'The confirmation time is in the future.',
    ],
    [
      'a template not meant for the kind',
      { kind: 'operations', templateId: 'shelter_in_place' },
      'template is not for operations alerts',
    ],
  ])('re-shows the form with 400 for %s and sends nothing', async (_name, over, message) => {
    const fields: Record<string, string | string[]> = { ...testAlert(), ...over };
    if (over.templateId === 'shelter_in_place') fields.templateId = templates.shelter_in_place!;
    const before = await alertCount();
    const r = await postForm(fields);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(400);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain(message);
    expect(r.body).toContain('class="field-error"');
    expect(await alertCount()).toBe(before);
  });

  it('answers bodies a browser would not send with a page, never a 5xx', async () => {
    const form = await browser.get('/send');
    const csrf = hidden(form.body, '_csrf');
    const post = (payload: string, contentType: string) =>
      sys.app!.inject({
        method: 'POST',
        url: '/send',
        headers: {
          cookie: browser.cookieHeader(),
          'content-type': contentType,
          origin: 'http://localhost:3000',
          'x-csrf-token': csrf,
        },
        payload,
      });
    const huge = await post(
      `_csrf=${csrf}&where=${'x'.repeat(1_100_000)}`,
      'application/x-www-form-urlencoded',
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('the form is too large');
    for (const [payload, type] of [
      ['{"where": ', 'application/json'],
      ['[1,2]', 'application/json'],
      ['{"where": {"a": 1}, "kind": 5}', 'application/json'],
      ['hello', 'text/plain'],
      ['where=a&where=b&where=c', 'application/x-www-form-urlencoded'],
      ['surprise=1&kind[]=x', 'application/x-www-form-urlencoded'],
    ]) {
      const r = await post(payload!, type!);
      expect(r.statusCode, `${payload}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, payload).toBeLessThan(500);
      expect(r.headers['content-type'], payload).toMatch(/text\/html/);
    }
  });
});

describe('the alert page', () => {
  it('keeps an update and a close reason typed when the session ended, and gives them back after signing in', async () => {
    const operator = await makeOperator(sys.ctx, ['emergency_management']);
    const tab = (await signInWithForms(sys, operator, '/send')).browser;
    const sent = await postForm(testAlert({ locationCodes: 'W59', channels: ['email'] }), tab);
    const id = idFrom(sent.headers.location)!;
    await untilSent(id);
    const page = await tab.get(`/send/alerts/${id}`);
    await sys.ctx.db.deleteFrom('sessions').where('operator_id', '=', operator.id).execute();
    const update = {
      _csrf: hidden(page.body, '_csrf'),
      type: 'update',
      'update-actions': 'Use the "Mass Ave" exit & stay clear.',
    };
    const kept = await tab.post(`/send/alerts/${id}/updates`, update);
    expect(kept.statusCode).toBe(401);
    expect(kept.body).toContain('Nothing was sent: your session ended before you pressed the button.');
    expect(kept.body).toContain('Use the &quot;Mass Ave&quot; exit &amp; stay clear.');
    expect(kept.body).toContain(`href="/login?next=/send/alerts/${id}" target="_blank"`);
    expect(kept.body).toContain(`action="/send/alerts/${id}/updates"`);
    const carried = hiddenFields(kept.body);
    expect(carried).toMatchObject({ type: ['update'], 'update-actions': [update['update-actions']] });
    const closing = await tab.post(`/send/alerts/${id}/close`, { reason: 'Sent to the wrong building' });
    expect(closing.statusCode).toBe(401);
    expect(closing.body).toContain('The alert was not closed: your session ended');
    expect(hiddenFields(closing.body)).toEqual({ reason: ['Sent to the wrong building'] });

    const later = new Date(Date.now() + 30_000);
    tab.cookies = (await signInWithForms(sys, operator, '/send', later)).browser.cookies;
    const back = await tab.post(`/send/alerts/${id}/updates`, carried);
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('Nothing was sent: this form was filled in before your latest sign-in.');
    expect(tag(back.body, 'update-actions')).toContain('id="update-actions"');
    expect(back.body).toContain('>Use the &quot;Mass Ave&quot; exit &amp; stay clear.</textarea>');
    const closeBack = await tab.post(`/send/alerts/${id}/close`, hiddenFields(closing.body));
    expect(closeBack.statusCode).toBe(403);
    expect(closeBack.body).toContain('>Sent to the wrong building</textarea>');
    const messages = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('message_type')
      .where('alert_id', '=', id)
      .execute();
    expect(messages.map((m) => m.message_type)).toEqual(['alert']);
    expect((await storedAlert(id)).status).toBe('sent');
    // Pressed as given back, with the new token: it goes.
    const u = await tab.post(`/send/alerts/${id}/updates`, { ...carried, _csrf: hidden(back.body, '_csrf') });
    expect(u.headers.location).toBe(`/send/alerts/${id}?done=update`);
    // Someone signed in without a send permission gets no status page this way either.
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const nosy = (await signInWithForms(sys, viewer, '/send')).browser;
    const refused = await nosy.post(`/send/alerts/${id}/updates`, carried);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('may not send alerts');
    expect(refused.body).not.toContain('Mass Ave');
    expect(refused.body).not.toContain('Send update');
    const denied = await sys.ctx.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'access.denied')
      .where('actor_id', '=', viewer.id)
      .execute();
    expect(denied.length).toBeGreaterThan(0);
    // A form that names no alert gets the plain refusal, never a 5xx.
    const none = await tab.post('/send/alerts/00000000-0000-4000-8000-000000000000/updates', carried);
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('belongs to an earlier sign-in');
  });

  it('takes every language’s words: Spanish typed on the send form and on an update, never the earlier Spanish', async () => {
    const form = await browser.get('/send');
    expect(form.body).toMatch(/<label for="es-what">What happened, in Spanish<\/label>/);
    expect(form.body).toContain('Los detalles están en inglés.');
    const sent = await postForm(
      testAlert({
        channels: ['email'],
        what: 'Drill: shelter in place.',
        'es-what': 'Simulacro: refúgiese.',
        'es-actions': 'Quédese adentro.',
      }),
    );
    expect(sent.statusCode, sent.body.slice(0, 500)).toBe(303);
    const id = idFrom(sent.headers.location)!;
    const contents = async (alertId: string) =>
      (
        await sys.ctx.db
          .selectFrom('alert_messages')
          .select('content')
          .where('alert_id', '=', alertId)
          .orderBy('sequence')
          .execute()
      ).map((m) => m.content as Record<string, { what: string; where: string; actions: string }>);
    expect((await contents(id))[0]!.es).toEqual({
      what: 'Simulacro: refúgiese.',
      where: 'Building W20, the Student Center',
      actions: 'Quédese adentro.',
    });
    await untilSent(id);
    const page = await browser.get(`/send/alerts/${id}`);
    expect(tag(page.body, 'update-es-actions')).toBeTruthy();
    expect(page.body).toMatch(/<textarea[^>]*id="update-es-actions"[^>]*>\s*<\/textarea>/);
    const u = await browser.post(`/send/alerts/${id}/updates`, {
      _csrf: hidden(page.body, '_csrf'),
      type: 'update',
      'update-actions': 'Leave by the east exit.',
      'update-es-actions': 'Salga por la salida este.',
    });
    expect(u.headers.location).toBe(`/send/alerts/${id}?done=update`);
    expect((await contents(id))[1]!).toMatchObject({
      en: { what: 'Drill: shelter in place.', actions: 'Leave by the east exit.' },
      es: { what: 'Simulacro: refúgiese.', actions: 'Salga por la salida este.' },
    });

    // English words only: the Spanish says the details are in English, never the template's Spanish.
    const english = await postForm(testAlert({ channels: ['email'], actions: 'Use the east stairs.' }));
    const [first] = await contents(idFrom(english.headers.location)!);
    expect(first!.es!.what).toMatch(/^Los detalles están en inglés\. /);
    expect(first!.es!.actions).toBe('Use the east stairs.');
  });

  it('sends an update and the all-clear, then closes the alert, each audited; a second press sends nothing more', async () => {
    const sent = await postForm(testAlert({ locationCodes: 'W59', channels: ['email'] }));
    const id = idFrom(sent.headers.location)!;
    await untilSent(id);
    const page = await browser.get(`/send/alerts/${id}`);
    const csrf = hidden(page.body, '_csrf');

    const empty = await browser.post(`/send/alerts/${id}/updates`, { _csrf: csrf, type: 'update' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Say what changed');
    const long = await browser.post(`/send/alerts/${id}/updates`, {
      _csrf: csrf,
      type: 'update',
      'update-what': 'x'.repeat(301),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('x'.repeat(301));

    const update = { _csrf: csrf, type: 'update', 'update-actions': 'Stay inside until the all-clear.' };
    const u = await browser.post(`/send/alerts/${id}/updates`, update);
    expect(u.headers.location).toBe(`/send/alerts/${id}?done=update`);
    expect(await auditOf('alert.update', id)).toBeDefined();
    const u2 = await browser.post(`/send/alerts/${id}/updates`, update);
    expect(u2.headers.location).toBe(`/send/alerts/${id}?done=duplicate-follow-up`);

    const early = await browser.post(`/send/alerts/${id}/close`, { _csrf: csrf });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Send the all-clear first, or give the reason');

    const clear = await browser.post(`/send/alerts/${id}/updates`, { _csrf: csrf, type: 'all_clear' });
    expect(clear.headers.location).toBe(`/send/alerts/${id}?done=all_clear`);
    expect(await auditOf('alert.all_clear', id)).toBeDefined();
    const messages = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('message_type')
      .where('alert_id', '=', id)
      .execute();
    expect(messages.map((m) => m.message_type)).toEqual(['alert', 'update', 'all_clear']);

    await untilSent(id);
    const closed = await browser.post(`/send/alerts/${id}/close`, { _csrf: csrf });
    expect(closed.headers.location).toBe(`/send/alerts/${id}?done=closed`);
    expect(await auditOf('alert.close', id)).toBeDefined();
    expect((await browser.post(`/send/alerts/${id}/close`, { _csrf: csrf })).headers.location).toBe(
      `/send/alerts/${id}?done=closed`,
    );
    const after = await browser.get(`/send/alerts/${id}?done=closed`);
    expect(after.body).toContain('This alert is closed');
    expect(after.body).not.toContain('Send the all-clear</button>');
  });

  it('answers an address that is no alert with a 404 page', async () => {
    for (const id of ['not-an-id', '00000000-0000-4000-8000-00000000abcd']) {
      const r = await browser.get(`/send/alerts/${id}`);
      expect(r.statusCode, id).toBe(404);
      expect(r.headers['content-type']).toMatch(/text\/html/);
    }
    const form = await browser.get('/send');
    const r = await browser.post('/send/alerts/00000000-0000-4000-8000-00000000abcd/updates', {
      _csrf: hidden(form.body, '_csrf'),
      type: 'all_clear',
    });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/text\/html/);
  });
});
