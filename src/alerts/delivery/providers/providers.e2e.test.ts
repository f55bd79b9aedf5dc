import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../../test/support/system.js';
import { generateDemoCampus } from '../../../directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../../../identity/principal.js';
import { noRequest, systemActor } from '../../../platform/actor.js';
import { drainCallbacks } from '../../../sim/sim.test-support.js';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import { sendFollowUp } from '../../follow-up.js';
import { sendAlert } from '../../send-alert.js';
import { listTemplates } from '../../templates.js';
import { capSchemaPath, xmllint } from '../../rendering/xmllint.testing.js';
import { fullAccessPrincipal } from '../../../../test/support/principals.js';
import { tocsinSignatureProblem } from './webhook-signature.js';

const sender: TokenPrincipal = fullAccessPrincipal('e2e');
let sim: Simulator;
let sys: TestSystem;

/** What a paging server on loopback received: path, headers and raw body of each POST. */
interface Paged {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
const paged: Paged[] = [];
let pager: Server;
const pagingSecret = 'paging-secret-of-the-test';

/**
 * Four paging servers in one: /cap answers 503 the first time (retried) then 200; /slow answers
 * the first request only after its client has timed out (retried), then at once; /hook 200;
 * /refuse 400 with a reason (fails for good).
 */
async function startPager(): Promise<string> {
  pager = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const first = !paged.some((p) => p.path === path);
      paged.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path === '/refuse') res.writeHead(400).end('unknown paging zone');
      else if (path === '/slow' && first) setTimeout(() => res.writeHead(200).end('late'), 1_000);
      else if (path === '/cap' && first) res.writeHead(503).end('busy');
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => pager.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(pager.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callsPerSecond: 0, callbackDelayMs: 1 });
  // Calls unpaced (Tocsin's default is Twilio's 1 per second): the test waits for outcomes, not pacing.
  sys = await startTestSystem({
    serve: true,
    work: true,
    env: { ...sim.environment, TOCSIN_TWILIO_CALLS_PER_SECOND: '100' },
  });
  // The test server listens on a free port: receipts must come back to it.
  sys.ctx.config.publicUrl = sys.url!;
  await generateDemoCampus(sys.ctx, systemActor, { people: 40 });
  const pagerUrl = await startPager();
  // Before the first send builds the process's providers from the profile.
  sys.ctx.profile.alerts.pagingServers = [
    { name: 'informacast', url: `${pagerUrl}/cap`, format: 'cap', timeoutMs: 5_000 },
    { name: 'alertus', url: `${pagerUrl}/slow`, format: 'cap', timeoutMs: 300 },
    { name: 'speakers', url: `${pagerUrl}/hook`, format: 'webhook', secret: pagingSecret, timeoutMs: 5_000 },
    {
      name: 'refusing',
      url: `${pagerUrl}/refuse`,
      format: 'webhook',
      secret: pagingSecret,
      timeoutMs: 5_000,
    },
  ];
  sys.ctx.profile.alerts.delivery.retryBaseSeconds = 0.1;
}, 60_000);
afterAll(async () => {
  await sys?.close();
  await sim?.stop();
  await new Promise((resolve) => pager?.close(resolve));
});

describe('an alert through the real providers', () => {
  it('reaches every SMS, voice and email address once and ends delivered or sent', async () => {
    const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: template.id,
      kind: 'test',
      where: 'Building W20',
      audience: { everyone: true },
      audienceReason: 'End-to-end provider test',
      channels: ['sms', 'voice', 'email', 'signage', 'cap'],
      record: {},
      request: noRequest,
    });
    const statuses = async () =>
      sys.ctx.db
        .selectFrom('deliveries')
        .select(['channel', 'status', 'provider'])
        .where('alert_id', '=', alertId)
        .where('status', '!=', 'suppressed')
        .execute();
    let rows = await statuses();
    for (let i = 0; i < 200; i += 1) {
      rows = await statuses();
      if (rows.length > 0 && rows.every((r) => ['delivered', 'sent'].includes(r.status))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await drainCallbacks(sim);
    rows = await statuses();
    const count = (channel: string) => rows.filter((r) => r.channel === channel).length;
    const stats = sim.stats().channels;
    expect(stats.sms.uniqueDeliveryIds).toBe(count('sms'));
    expect(stats.voice.uniqueDeliveryIds).toBe(count('voice'));
    expect(stats.email.uniqueDeliveryIds).toBe(count('email'));
    expect(stats.webhook.uniqueDeliveryIds).toBe(1);
    expect(stats.cap.accepted).toBe(1);
    for (const channel of ['sms', 'voice', 'email', 'webhook', 'cap'] as const)
      expect(stats[channel].duplicates).toBe(0);
    const final = await statuses();
    const byChannel = (channel: string) =>
      new Set(final.filter((r) => r.channel === channel).map((r) => r.status));
    expect(byChannel('sms')).toEqual(new Set(['delivered']));
    expect(byChannel('voice')).toEqual(new Set(['delivered']));
    expect(byChannel('email')).toEqual(new Set(['sent']));
    expect(byChannel('signage')).toEqual(new Set(['delivered']));
    // Not checked for every row: a 'sent' receipt that beats the dispatcher's record of the
    // acceptance leaves provider null (record-outcomes.ts guards on sending/delivered only).
    expect([...new Set(final.map((r) => r.provider))]).toEqual(
      expect.arrayContaining(['twilio', 'smtp', 'webhook', 'cap']),
    );
  });

  it('calls each office number once, never texts one, and pushes CAP and signed JSON to the paging servers', async () => {
    const office = await sys.ctx.db
      .selectFrom('contacts as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select(['c.person_id', 'c.address'])
      .where('c.channel', '=', 'office_phone')
      .where('p.status', '=', 'active')
      .orderBy('c.address')
      .execute();
    expect(office.length).toBeGreaterThan(2);
    const [first, second] = office;
    // A second person shares the first's desk number, and someone's text number is an office number.
    await sys.ctx.db
      .insertInto('contacts')
      .values([
        {
          person_id: second!.person_id,
          channel: 'office_phone',
          address: first!.address,
          source: 'operator',
        },
        {
          person_id: second!.person_id,
          channel: 'sms',
          address: first!.address,
          source: 'self',
          verified_at: new Date(),
        },
      ])
      .execute();
    const numbers = [...new Set(office.map((o) => o.address))];
    const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: template.id,
      kind: 'test',
      where: 'Building W20',
      audience: { everyone: true },
      audienceReason: 'Office phones and paging servers',
      channels: ['sms', 'office_phones'],
      record: {},
      request: noRequest,
    });
    const rows = () =>
      sys.ctx.db
        .selectFrom('deliveries')
        .select(['channel', 'address', 'status', 'attempts', 'last_error', 'suppression_reason', 'provider'])
        .where('alert_id', '=', alertId)
        .execute();
    const settled = (r: { status: string }) =>
      ['delivered', 'permanent_failure', 'suppressed', 'technical_failure'].includes(r.status);
    let found = await rows();
    for (let i = 0; i < 300 && !(found.length > 0 && found.every(settled)); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      found = await rows();
    }
    const calls = found.filter((r) => r.channel === 'office_phones' && !r.address.startsWith('paging:'));
    // Each number once, the shared one included, each delivered by a call through the voice provider.
    expect(calls.map((r) => r.address).sort()).toEqual(numbers);
    expect(new Set(calls.map((r) => r.status))).toEqual(new Set(['delivered']));
    expect(new Set(calls.map((r) => r.provider))).toEqual(new Set(['twilio']));
    for (const n of numbers) expect(sim.messages({ channel: 'voice', to: n }), n).toHaveLength(1);
    // Never texted: the SMS to the office number is suppressed and the provider never saw it.
    const texted = found.find((r) => r.channel === 'sms' && r.address === first!.address);
    expect(texted).toMatchObject({
      status: 'suppressed',
      suppression_reason: expect.stringMatching(/^office_phone:/),
    });
    expect(sim.messages({ channel: 'sms', to: first!.address })).toEqual([]);
    // Paging servers: their own deliveries of the channel, retried on 5xx, failed with the reason on 4xx.
    const pagingRow = (name: string) => found.find((r) => r.address === `paging:${name}`);
    expect(pagingRow('informacast')).toMatchObject({
      channel: 'office_phones',
      status: 'delivered',
      attempts: 2,
    });
    expect(pagingRow('alertus')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(paged.filter((p) => p.path === '/slow')).toHaveLength(2);
    expect(pagingRow('speakers')).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(pagingRow('refusing')).toMatchObject({
      status: 'permanent_failure',
      last_error: expect.stringMatching(/HTTP 400 unknown paging zone/),
    });
    const cap = paged.filter((p) => p.path === '/cap');
    expect(cap).toHaveLength(2);
    expect(cap[1]!.headers['content-type']).toMatch(/^application\/cap\+xml/);
    expect(xmllint(cap[1]!.body, capSchemaPath)).toMatchObject({ status: 0 });
    expect(cap[1]!.body).toContain('<msgType>Alert</msgType>');
    const hook = paged.find((p) => p.path === '/hook')!;
    expect(
      tocsinSignatureProblem(pagingSecret, hook.headers['x-tocsin-signature'] as string, hook.body),
    ).toBeNull();
    expect(
      tocsinSignatureProblem(
        'another-secret-entirely',
        hook.headers['x-tocsin-signature'] as string,
        hook.body,
      ),
    ).toBe('signature mismatch');
    expect(JSON.parse(hook.body)).toMatchObject({
      alertId,
      channel: 'office_phones',
      pagingServer: 'speakers',
      kind: 'test',
      messageType: 'alert',
      spoken: expect.stringContaining('W20'),
    });
    // The all-clear goes to the paging servers too, as CAP (valid, an Update with AllClear) and JSON.
    await sendFollowUp(sys.ctx, sender, alertId, { type: 'all_clear', request: noRequest });
    const heard = (path: string) => paged.filter((p) => p.path === path);
    for (let i = 0; i < 200 && (heard('/cap').length < 3 || heard('/hook').length < 2); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const allClearCap = heard('/cap')[2]!.body;
    expect(xmllint(allClearCap, capSchemaPath)).toMatchObject({ status: 0 });
    expect(allClearCap).toContain('<msgType>Update</msgType>');
    expect(allClearCap).toContain('<responseType>AllClear</responseType>');
    const allClearHook = heard('/hook')[1]!;
    expect(
      tocsinSignatureProblem(
        pagingSecret,
        allClearHook.headers['x-tocsin-signature'] as string,
        allClearHook.body,
      ),
    ).toBeNull();
    expect(JSON.parse(allClearHook.body)).toMatchObject({ alertId, messageType: 'all_clear' });
    // The all-clear's calls end too before the system stops.
    for (let i = 0; i < 300 && !(found = await rows()).every(settled); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    expect(found.filter((r) => r.channel === 'office_phones' && r.status === 'delivered').length).toBe(
      2 * (numbers.length + 3),
    );
  });
});
