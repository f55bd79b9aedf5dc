import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/alerts/delivery/providers/twilio-signature.js';
import { generateDemoCampus } from '../../src/directory/demo/generate-demo-campus.js';
import { systemActor } from '../../src/platform/actor.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { makeToken } from '../support/operators.js';
import { freePort } from '../support/ports.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { alertState, deliveryCounts, unfinishedDeliveries, waitUntil } from './chaos-support.js';

/**
 * Bad input everywhere (issue: "Faults"): what an old import left in the directory, what an
 * operator or a script may post, what a forger may post to the webhooks. Every answer is a 4xx that
 * says what was wrong, or a delivery suppressed with its reason; never a 5xx, never a lost alert.
 */
let sim: Simulator;
let sys: TestSystem;
let headers: Record<string, string>;
let shelterId = '';

// Contacts an old import could have stored before the directory validated anything.
const badPhones = ['617-555-0123', '+1 617 555 0199', 'call me', '+0123456789', '++16175550100', '📱📱📱'];
const badEmails = ['not-an-email', 'a@b', 'two@@example.edu', 'x y@example.edu', '<x@example.edu>', 'é@é'];

beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callbackDelayMs: 1 });
  // Receipts go to a port nobody listens on: this file posts its own, forged and genuine.
  const nowhere = `http://127.0.0.1:${await freePort()}`;
  sys = await startTestSystem({
    serve: true,
    work: true,
    env: { ...sim.environment, TOCSIN_PUBLIC_URL: nowhere },
  });
  await generateDemoCampus(sys.ctx, systemActor, { people: 60, seed: 'bad-input' });
  const people = await sys.ctx.db
    .selectFrom('people')
    .select('id')
    .where('status', '=', 'active')
    .orderBy('id')
    .limit(12)
    .execute();
  await sys.ctx.db
    .insertInto('contacts')
    .values([
      ...badPhones.map((address, i) => ({
        person_id: people[i]!.id,
        channel: 'sms' as const,
        address,
        source: 'directory' as const,
      })),
      ...badEmails.map((address, i) => ({
        person_id: people[i + badPhones.length]!.id,
        channel: 'email' as const,
        address,
        source: 'directory' as const,
      })),
    ])
    .execute();
  headers = {
    authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test', 'templates.manage'])}`,
  };
  const templates = await api('GET', '/api/v1/templates');
  shelterId = (templates.body.templates as Array<{ id: string; hazard: string }>).find(
    (t) => t.hazard === 'shelter_in_place',
  )!.id;
}, 60_000);

afterAll(async () => {
  await sys?.close();
  await sim?.stop();
});

interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** A real HTTP request to the test system (what a script or a forger would send). */
async function api(
  method: string,
  path: string,
  body?: unknown,
  extra: { headers?: Record<string, string>; raw?: string; anonymous?: boolean } = {},
): Promise<Answer> {
  const response = await fetch(`${sys.url}${path}`, {
    method,
    headers: {
      ...(extra.anonymous ? {} : headers),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...extra.headers,
    },
    body: extra.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, text };
}

const alert = (over: Record<string, unknown> = {}) => ({
  templateId: shelterId,
  kind: 'test',
  where: 'Building W20',
  audience: { everyone: true },
  audienceReason: 'Bad input drill',
  channels: ['sms', 'email'],
  ...over,
});

async function sendAndFinish(body: Record<string, unknown>): Promise<string> {
  const sent = await api('POST', '/api/v1/alerts', body);
  expect(sent.status, sent.text).toBe(202);
  const alertId = sent.body.alertId as string;
  await waitUntil(
    'the alert to be sent',
    async () => (await alertState(sys.ctx.db, alertId)).status === 'sent',
    30_000,
    100,
    async () => deliveryCounts(sys.ctx.db, alertId),
  );
  return alertId;
}

/** A 4xx whose message names what was wrong. */
function expectRefusal(answer: Answer, status: number, mentions: RegExp): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error?.message, answer.text).toMatch(mentions);
}

describe('malformed addresses in the directory', () => {
  it('become suppressed deliveries with an invalid_address reason, and the alert still completes', async () => {
    const alertId = await sendAndFinish(alert());
    const rows = await sql<{
      channel: string;
      address: string;
      status: string;
      suppression_reason: string | null;
    }>`
      select channel, address, status, suppression_reason from deliveries
      where alert_id = ${alertId} and address = any(${[...badPhones, ...badEmails]}::text[])`.execute(
      sys.ctx.db,
    );
    expect(rows.rows).toHaveLength(badPhones.length + badEmails.length);
    for (const row of rows.rows) {
      expect(row.status, row.address).toBe('suppressed');
      expect(row.suppression_reason, row.address).toMatch(/^invalid_address: /);
    }
    expect(await unfinishedDeliveries(sys.ctx.db, alertId)).toEqual([]);
    const reached = sim.messages({ limit: 10_000 }).map((m) => m.to);
    for (const address of [...badPhones, ...badEmails]) expect(reached).not.toContain(address);
  });
});

describe('alert text', () => {
  const limits = { where: 200, what: 300, actions: 400 } as const;

  it.each(Object.entries(limits))(
    'refuses an empty or oversized "%s" with a 400 naming it',
    async (field, max) => {
      expectRefusal(await api('POST', '/api/v1/alerts', alert({ [field]: '' })), 400, new RegExp(field));
      const long = await api('POST', '/api/v1/alerts', alert({ [field]: 'x'.repeat(max + 1) }));
      expectRefusal(long, 400, new RegExp(`${field}.*${max}`));
    },
  );

  it('sends text at every limit, in characters that need UCS-2, to completion', async () => {
    const alertId = await sendAndFinish(
      alert({ where: '东'.repeat(limits.where), what: '⚠'.repeat(limits.what), actions: 'é🚨'.repeat(200) }),
    );
    expect(await unfinishedDeliveries(sys.ctx.db, alertId)).toEqual([]);
    const counts = await deliveryCounts(sys.ctx.db, alertId);
    for (const channel of ['sms', 'email'])
      expect(
        Object.keys(counts[channel] ?? {}).filter((s) => !['sent', 'delivered', 'suppressed'].includes(s)),
      ).toEqual([]);
  });

  it('refuses a body that is not JSON, not an object, or too large, with a 4xx', async () => {
    const notJson = await api('POST', '/api/v1/alerts', undefined, {
      headers: { 'content-type': 'application/json' },
      raw: '{"templateId": ',
    });
    expect(notJson.status, notJson.text).toBe(400);
    expect((await api('POST', '/api/v1/alerts', [alert()])).status).toBe(400);
    const huge = await api('POST', '/api/v1/alerts', alert({ what: 'x'.repeat(5_000_000) }));
    expect([400, 413]).toContain(huge.status);
  });
});

describe('unknown fields', () => {
  it('refuses an alert with a field the API does not know, naming it', async () => {
    expectRefusal(await api('POST', '/api/v1/alerts', alert({ severity: 'Extreme' })), 400, /severity/);
    const audience = await api(
      'POST',
      '/api/v1/alerts',
      alert({ audience: { everyone: true, floors: [3] } }),
    );
    expectRefusal(audience, 400, /floors/);
  });

  it('refuses a template version with an unknown field or language, naming it', async () => {
    const text = { what: 'A test', where: 'at {where}', actions: 'Nothing to do' };
    const unknownField = await api('POST', `/api/v1/templates/${shelterId}/versions`, {
      languages: { en: { ...text, when: 'now' } },
    });
    expectRefusal(unknownField, 400, /when/);
    const unknownLanguage = await api('POST', `/api/v1/templates/${shelterId}/versions`, {
      languages: { en: text, fr: text },
    });
    expectRefusal(unknownLanguage, 400, /fr/);
  });
});

describe('Twilio status callbacks', () => {
  let deliveryId = '';
  let messageSid = '';

  beforeAll(async () => {
    const alertId = await sendAndFinish(alert({ channels: ['sms'] }));
    const sent = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['id', 'provider_message_id'])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    deliveryId = sent.id;
    messageSid = sent.provider_message_id!;
  }, 60_000);

  /** POST a status callback, signed with `token` for `signFor` (the URL posted to, by default). */
  async function receipt(
    id: string,
    params: Record<string, string>,
    options: { token?: string | null; signFor?: string } = {},
  ): Promise<Answer> {
    const path = `/webhooks/twilio/status?delivery=${id}`;
    const token = options.token === undefined ? sim.settings.authToken : options.token;
    const signature = token ? twilioSignature(token, options.signFor ?? `${sys.url}${path}`, params) : null;
    return api('POST', path, undefined, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'x-twilio-signature': signature } : {}),
      },
      raw: new URLSearchParams(params).toString(),
      anonymous: true,
    });
  }

  const delivered = () => ({
    MessageSid: messageSid,
    MessageStatus: 'delivered',
    AccountSid: sim.settings.accountSid,
  });

  async function statusOf(id: string): Promise<string> {
    const row = await sys.ctx.db
      .selectFrom('deliveries')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    return row!.status;
  }

  it('refuses forged callbacks with 403 and changes nothing', async () => {
    expectRefusal(await receipt(deliveryId, delivered(), { token: null }), 403, /X-Twilio-Signature/);
    expectRefusal(await receipt(deliveryId, delivered(), { token: 'f'.repeat(32) }), 403, /does not match/);
    const otherUrl = `${sys.url}/webhooks/twilio/status?delivery=00000000-0000-4000-8000-000000000000`;
    expectRefusal(await receipt(deliveryId, delivered(), { signFor: otherUrl }), 403, /does not match/);
    expect(await statusOf(deliveryId)).toBe('sent');
  });

  it('applies a genuine receipt once, and ignores it replayed or overtaken', async () => {
    const first = await receipt(deliveryId, delivered());
    expect(first.status, first.text).toBe(200);
    expect(first.body.result).toBe('applied');
    const replayed = await receipt(deliveryId, delivered());
    expect(replayed.status, replayed.text).toBe(200);
    expect(replayed.body.result).toBe('ignored');
    const late = await receipt(deliveryId, { ...delivered(), MessageStatus: 'sent' });
    expect(late.body.result).toBe('ignored');
    const lateFailure = await receipt(deliveryId, {
      ...delivered(),
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    });
    expect(lateFailure.body.result).toBe('ignored');
    expect(await statusOf(deliveryId)).toBe('delivered');
  });

  it('answers a malformed callback with a 4xx, not a 5xx', async () => {
    const notADelivery = await receipt('not-a-uuid', delivered());
    expect(notADelivery.status, notADelivery.text).toBe(400);
    const unknown = await receipt('00000000-0000-4000-8000-000000000000', delivered());
    expect(unknown.status, unknown.text).toBe(200);
    expect(unknown.body.result).toBe('ignored');
    const json = await api('POST', `/webhooks/twilio/status?delivery=${deliveryId}`, delivered(), {
      anonymous: true,
    });
    expect(json.status, json.text).toBeGreaterThanOrEqual(400);
    expect(json.status, json.text).toBeLessThan(500);
  });

  it('refuses a forged inbound SMS with 403', async () => {
    const path = '/webhooks/twilio/sms';
    const forged = await api('POST', path, undefined, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: new URLSearchParams({ From: '+16175550100', To: '+16175550100', Body: 'STOP' }).toString(),
      anonymous: true,
    });
    expect(forged.status, forged.text).toBe(403);
  });
});

describe('CAP', () => {
  // CAP comes in only at /api/v1/cap/inbound (its own tests cover malformed documents there); the
  // alerts API takes JSON, so a CAP document posted to it is refused for its content type.
  it('answers a CAP document posted to the alerts API with 415', async () => {
    const cap = '<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>';
    const answer = await api('POST', '/api/v1/alerts', undefined, {
      headers: { 'content-type': 'application/cap+xml' },
      raw: cap,
    });
    expect(answer.status, answer.text).toBe(415);
  });
});
