import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import type { AlertHistoryPage, AlertHistoryRow } from './alert-history.schema.js';
import type { AlertKind, AlertStatus, DeliveryStatus, MessageType } from './alerts.tables.js';

let sys: TestSystem;
let reader: Record<string, string>;
let campusId: string;
let templateId: string;
let senderUsername: string;
const base = Date.parse('2025-03-01T12:00:00.000Z');
const hours = (n: number) => new Date(base + n * 3_600_000);

interface AlertSpec {
  kind?: AlertKind;
  status?: AlertStatus;
  at: Date;
  what: string;
  where: string;
  whatEs?: string;
  sentBy?: string;
  messages?: MessageType[];
  deliveries?: DeliveryStatus[];
}

/** An alert written straight into the tables: its time, messages and deliveries chosen by the test. */
async function alert(spec: AlertSpec): Promise<string> {
  const kind = spec.kind ?? 'test';
  const status = spec.status ?? 'sent';
  const record = { confirmed_by: 'Sgt. Ruiz', confirmation_source: 'Dispatch', confirmed_at: spec.at };
  const row = await sys.ctx.db
    .insertInto('alerts')
    .values({
      campus_id: campusId,
      kind,
      status,
      hazard: 'shelter_in_place',
      template_id: templateId,
      template_version: 1,
      audience: JSON.stringify({ everyone: true }),
      audience_reason: 'History test',
      channels: ['sms', 'email'],
      ...record,
      initiated_at: spec.at,
      created_by: spec.sentBy ?? 'history-token',
      sent_by: spec.sentBy ?? 'history-token',
      closed_at: status === 'closed' ? new Date(spec.at.getTime() + 60_000) : null,
      created_at: spec.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const types = spec.messages ?? ['alert'];
  for (const [sequence, type] of types.entries()) {
    const content = {
      es: { what: spec.whatEs ?? 'Algo', where: 'Edificio', actions: 'Quédese' },
      en: { what: sequence === 0 ? spec.what : `${type} text`, where: spec.where, actions: 'Stay inside' },
    };
    const message = await sys.ctx.db
      .insertInto('alert_messages')
      .values({
        alert_id: row.id,
        sequence,
        message_type: type,
        template_id: templateId,
        template_version: 1,
        content: JSON.stringify(content),
        created_by: spec.sentBy ?? 'history-token',
        created_at: new Date(spec.at.getTime() + sequence * 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (sequence > 0 || !spec.deliveries?.length) continue;
    await sys.ctx.db
      .insertInto('deliveries')
      .values(
        spec.deliveries.map((s, i) => ({
          alert_id: row.id,
          message_id: message.id,
          channel: 'email',
          address: `person${i}@example.edu`,
          language: 'en',
          template_version: 1,
          priority: 1,
          status: s,
          suppression_reason: s === 'suppressed' ? 'opted_out' : null,
        })),
      )
      .execute();
  }
  return row.id;
}

const get = (url: string, headers = reader) => sys.app!.inject({ method: 'GET', url, headers });
async function list(query: string): Promise<AlertHistoryRow[]> {
  const r = await get(`/api/v1/alerts?${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as AlertHistoryPage).alerts;
}

const ids: Record<string, string> = {};
beforeAll(async () => {
  sys = await startTestSystem();
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  campusId = (await sys.ctx.db.selectFrom('campuses').select('id').executeTakeFirstOrThrow()).id;
  templateId = (
    await sys.ctx.db
      .selectFrom('alert_templates')
      .select('id')
      .where('hazard', '=', 'shelter_in_place')
      .executeTakeFirstOrThrow()
  ).id;
  const op = await makeOperator(sys.ctx, ['emergency_management']);
  senderUsername = op.username;
  ids.gas = await alert({
    kind: 'emergency',
    status: 'closed',
    at: hours(0),
    what: 'Gas leak reported',
    where: 'Building W20, the Student Center',
    sentBy: senderUsername,
    messages: ['alert', 'update', 'all_clear', 'escalation'],
    deliveries: ['delivered', 'sent', 'permanent_failure', 'suppressed', 'queued', 'temporary_failure'],
  });
  ids.drill = await alert({
    at: hours(1),
    what: 'Quarterly drill',
    where: 'Building 32',
    whatEs: 'Simulacro',
  });
  ids.exercise = await alert({ kind: 'exercise', at: hours(2), what: 'Tabletop', where: 'E14' });
  ids.power = await alert({
    kind: 'operations',
    status: 'sending',
    at: hours(3),
    what: 'Power outage 100%',
    where: 'Building 10',
    messages: ['alert', 'update'],
  });
  ids.flood = await alert({ kind: 'emergency', at: hours(4), what: 'Flooding', where: 'Building W20' });
});
afterAll(async () => {
  await sys.close();
});

describe('GET /api/v1/alerts', () => {
  it('lists alerts newest first with their first message, sender, latest message and delivery totals', async () => {
    const rows = await list('');
    expect(rows.map((r) => r.id)).toEqual([ids.flood, ids.power, ids.exercise, ids.drill, ids.gas]);
    const gas = rows.find((r) => r.id === ids.gas)!;
    expect(gas).toMatchObject({
      kind: 'emergency',
      status: 'closed',
      hazard: 'shelter_in_place',
      templateName: 'Shelter in place',
      what: 'Gas leak reported',
      where: 'Building W20, the Student Center',
      sentBy: senderUsername,
      sentByName: `Operator ${senderUsername}`,
      createdAt: hours(0).toISOString(),
      sentAt: hours(0).toISOString(),
      closedAt: new Date(hours(0).getTime() + 60_000).toISOString(),
      // The escalation calls are not a message of the timeline.
      latestMessageType: 'all_clear',
      messageCount: 3,
      // queued and temporary_failure are still in Tocsin's hands.
      deliveries: { done: 4, total: 6 },
    });
    expect(rows.find((r) => r.id === ids.power)).toMatchObject({
      latestMessageType: 'update',
      sentByName: 'history-token',
      deliveries: { done: 0, total: 0 },
    });
  });

  it.each([
    ['what, in words', 'q=gas%20LEAK', ['gas']],
    ['where, in words', 'q=W20', ['flood', 'gas']],
    ['another language', 'q=simulacro', ['drill']],
    ['the template name', 'q=shelter', ['flood', 'power', 'exercise', 'drill', 'gas']],
    ['a percent sign, literally', 'q=100%25', ['power']],
    ['a kind', 'kind=emergency', ['flood', 'gas']],
    ['a status', 'status=sending', ['power']],
    ['tests only', 'test=true', ['exercise', 'drill']],
    ['real alerts only', 'test=false', ['flood', 'power', 'gas']],
    [
      'a date range (from inclusive, to exclusive)',
      `from=${hours(1).toISOString()}&to=${hours(3).toISOString()}`,
      ['exercise', 'drill'],
    ],
    ['filters together', `q=building&test=false&from=${hours(1).toISOString()}`, ['flood', 'power']],
    ['nothing matching', 'q=tornado', []],
  ])('filters by %s', async (_name, query, expected) => {
    const rows = await list(query);
    expect(rows.map((r) => r.id)).toEqual(expected.map((k) => ids[k]));
  });

  it('finds an alert by its id', async () => {
    expect((await list(`q=${ids.exercise}`)).map((r) => r.id)).toEqual([ids.exercise]);
  });

  it('pages with a cursor, each alert once, even when several share a creation time', async () => {
    const at = hours(-10);
    const same: string[] = [];
    for (let i = 0; i < 3; i += 1) same.push(await alert({ at, what: `Pager ${i}`, where: 'Pager hall' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/api/v1/alerts?q=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json() as AlertHistoryPage;
      seen.push(...page.alerts.map((a) => a.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(same.sort());
  });

  it.each([
    ['a cursor it did not issue', 'cursor=nonsense', 'cursor'],
    [
      'a well-formed cursor with a bad id',
      `cursor=${Buffer.from('["2025-03-01T12:00:00.000000Z","x"]').toString('base64url')}`,
      'cursor',
    ],
    [
      'a cursor at an impossible time',
      `cursor=${Buffer.from(`["2025-02-30T00:00:00.000000Z","${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}"]`).toString('base64url')}`,
      'cursor',
    ],
    ['a date that is not a date', 'from=yesterday', 'from'],
    ['a day that does not exist', 'from=2025-02-30T00:00:00Z', 'from'],
    ['a date without a time', 'to=2025-03-01', 'to'],
    [
      'a range that ends before it starts',
      `from=${hours(2).toISOString()}&to=${hours(1).toISOString()}`,
      'to',
    ],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit over 100', 'limit=101', 'limit'],
    ['a limit that is not a number', 'limit=ten', 'limit'],
    ['an unknown kind', 'kind=drill', 'kind'],
    ['an unknown status', 'status=done', 'status'],
    ['a test flag that is not true or false', 'test=maybe', 'test'],
    ['an empty search', 'q=%20', 'q'],
    ['an unknown parameter', 'colour=red', 'colour'],
  ])('answers %s with a 400 naming the field', async (_name, query, field) => {
    const r = await get(`/api/v1/alerts?${query}`);
    expect(r.statusCode, r.body).toBe(400);
    const error = r.json().error as { code: string; message: string; details: Array<{ field: string }> };
    expect(error.code).toBe('validation');
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.details.map((d) => d.field)).toContain(field);
  });

  it('refuses callers without alerts.read', async () => {
    const directoryOnly = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.read'])}` };
    const r = await get('/api/v1/alerts', directoryOnly);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toMatch(/alerts\.read/);
    expect((await get('/api/v1/alerts', {})).statusCode).toBe(401);
  });

  it('is documented in the OpenAPI document with its filters', async () => {
    const spec = (await sys.app!.inject('/api/docs/json')).json();
    const operation = spec.paths['/api/v1/alerts'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'kind', 'status', 'test', 'from', 'to', 'limit', 'cursor']),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '403']));
  });

  it('serves an operator signed in with a session (the console)', async () => {
    const viewer = await signIn(sys.app!, await makeOperator(sys.ctx, ['viewer']));
    const r = await get('/api/v1/alerts?limit=1', viewer.headers);
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as AlertHistoryPage).alerts).toHaveLength(1);
  });
});

describe('GET /api/v1/alerts/:id for the dashboard', () => {
  it('names the template, who sent the alert and each message, and when it closed', async () => {
    const r = await get(`/api/v1/alerts/${ids.gas}`);
    expect(r.statusCode, r.body).toBe(200);
    const status = r.json();
    expect(status).toMatchObject({
      templateId,
      templateName: 'Shelter in place',
      sentBy: senderUsername,
      sentByName: `Operator ${senderUsername}`,
      closedAt: new Date(hours(0).getTime() + 60_000).toISOString(),
    });
    expect(
      status.messages.map((m: { type: string; createdByName: string }) => [m.type, m.createdByName]),
    ).toEqual([
      ['alert', `Operator ${senderUsername}`],
      ['update', `Operator ${senderUsername}`],
      ['all_clear', `Operator ${senderUsername}`],
      ['escalation', `Operator ${senderUsername}`],
    ]);
    const drill = (await get(`/api/v1/alerts/${ids.drill}`)).json();
    expect(drill.messages[0].createdByName).toBe('history-token');
  });
});
