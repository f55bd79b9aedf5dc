import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../../test/support/browser.js';
import { makeOperator, makeToken, signIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { systemActor } from '../../platform/actor.js';
import { insertPersonDeliveries, reachScenario } from './alert-reach.test-support.js';
import { insertSyntheticDeliveries } from './synthetic-deliveries.js';
import { sendTrackedTestAlert } from './tracking.test-support.js';

let sys: TestSystem;
let manager: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem({ serve: true, work: false });
  await generateDemoCampus(sys.ctx, systemActor, { people: 12 });
  manager = (await signIn(sys.app!, await makeOperator(sys.ctx, ['emergency_management']))).headers;
  viewer = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const get = (alertId: string, file: string, headers = manager) =>
  fetch(`${sys.url}/api/v1/alerts/${alertId}/${file}`, { headers });

/** The tools that read the PDF independently of the browser that wrote it (poppler-utils). */
function pdfTool(tool: 'pdfinfo' | 'pdftotext', pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'after-action-'));
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync(tool, tool === 'pdftotext' ? ['-layout', file, '-'] : [file], { encoding: 'utf8' });
}

describe('GET /api/v1/alerts/:id/deliveries.csv', () => {
  it('lists every delivery with masked addresses, quoted where needed, for readers of people, audited', async () => {
    const s = await reachScenario(sys.ctx);
    await insertPersonDeliveries(sys.ctx, s.messageId, [
      {
        personId: s.e.id,
        channel: 'email',
        address: s.e.email,
        status: 'permanent_failure',
        reason: '=HYPERLINK("x"), "quoted"\nsecond line',
      },
    ]);
    const response = await get(s.alertId, 'deliveries.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(9);
    const a = rows.find((r) => r.person_id === s.a.id && r.channel === 'sms')!;
    expect(a).toMatchObject({
      message_sequence: '0',
      message_type: 'alert',
      resend_round: '0',
      status: 'technical_failure',
      address: `${s.a.sms.slice(0, 5)}•••${s.a.sms.slice(-4)}`,
      reason: '30003: Provider down',
    });
    const c = rows.find((r) => r.person_id === s.c.id && r.channel === 'email')!;
    expect(c.address).toMatch(/^.?•••@/);
    expect(c.reason).toBe(`30003: 550 <${c.address}>: no such user`);
    const tricky = rows.find((r) => r.person_id === s.e.id && r.channel === 'email')!;
    expect(tricky.reason).toBe('30003: =HYPERLINK("x"), "quoted"\nsecond line');
    const text = bytes.toString('utf8');
    for (const person of [s.a, s.b, s.c, s.d, s.e]) expect(text).not.toContain(person.email);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'metadata'])
      .where('target_id', '=', s.alertId)
      .where('action', '=', 'alert.deliveries.export')
      .execute();
    expect(audit).toEqual([{ action: 'alert.deliveries.export', metadata: { format: 'csv' } }]);
  });

  it('neutralises a reason a spreadsheet would run as a formula', async () => {
    const s = await sendTrackedTestAlert(sys.ctx);
    const person = await sys.ctx.db.selectFrom('people').select('id').limit(1).executeTakeFirstOrThrow();
    await sys.ctx.db
      .insertInto('deliveries')
      .values({
        alert_id: s.alertId,
        message_id: s.messageId,
        person_id: person.id,
        channel: 'email',
        address: 'x@mit.edu',
        language: 'en',
        template_version: 1,
        priority: 0,
        status: 'suppressed',
        suppression_reason: '=cmd|"/C calc"!A0',
      })
      .execute();
    const rows = parse(await (await get(s.alertId, 'deliveries.csv')).text(), {
      bom: true,
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.reason)).toEqual([`'=cmd|"/C calc"!A0`]);
  });

  it('streams thousands of deliveries, a batch at a time', async () => {
    const s = await sendTrackedTestAlert(sys.ctx);
    // Several cursor batches of 2,000; 50,000 rows take about 3.5 s the same way (docs/development.md).
    await insertSyntheticDeliveries(sys.ctx.db, s.messageId, { count: 5_000 });
    const response = await get(s.alertId, 'deliveries.csv');
    expect(response.headers.get('content-length')).toBeNull();
    // Count line ends over the whole text: a chunk may end between a row's \r and its \n.
    let text = '';
    let chunks = 0;
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk, { stream: true });
      chunks += 1;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.split('\r\n').length - 1).toBe(5_001);
  });

  it('is refused to a reader of alerts without directory.read, and 404 for an unknown alert', async () => {
    const s = await sendTrackedTestAlert(sys.ctx);
    const refused = await get(s.alertId, 'deliveries.csv', viewer);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /directory\.read/,
    );
    expect((await get(randomUUID(), 'deliveries.csv')).status).toBe(404);
  });
});

describe('the after-action summary', () => {
  async function recordedAlert() {
    const s = await reachScenario(sys.ctx);
    await sys.ctx.db
      .updateTable('alerts')
      .set({
        confirmed_by: 'Sgt. Rivera, MIT Police',
        confirmation_source: 'Officer on scene at W20',
        audience_reason: 'Everyone near W20',
      })
      .where('id', '=', s.alertId)
      .execute();
    return s;
  }

  it('is a page of its own with the Clery record, times, reach, latency and failures, nothing from elsewhere', async () => {
    const s = await recordedAlert();
    const response = await get(s.alertId, 'after-action', viewer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    for (const words of [
      'Sgt. Rivera, MIT Police',
      'Officer on scene at W20',
      'Everyone near W20',
      '1 of 5 people reached (20.0 %)',
      'First sent',
      'Last delivered',
      '3.4 s',
      'technical failure',
    ])
      expect(page).toContain(words);
    expect(page).not.toMatch(/<script|<link|<img|src=|https?:\/\//);
  });

  it('counts what the outbox stored in a column of its own, never as reached or last delivered', async () => {
    const s = await recordedAlert();
    // C's SMS, the one delivery that reached anyone, was stored by the outbox instead.
    await sys.ctx.db
      .updateTable('deliveries')
      .set({ provider: 'outbox' })
      .where('message_id', '=', s.messageId)
      .where('person_id', '=', s.c.id)
      .where('channel', '=', 'sms')
      .execute();
    const page = await (await get(s.alertId, 'after-action', viewer)).text();
    expect(page).toContain('0 of 5 people reached (0.0 %)');
    expect(page).toContain('1 only in the outbox (stored, not sent to a network)');
    expect(page).toContain('In the outbox (not sent to a network)');
    expect(page).not.toContain('3.4 s');
  });

  it.skipIf(browserMissing)(
    'prints to a one-page PDF that holds the same figures',
    async () => {
      const s = await recordedAlert();
      const response = await get(s.alertId, 'after-action.pdf', viewer);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfTool('pdfinfo', pdf)).toMatch(/^Pages:\s+1$/m);
      const text = pdfTool('pdftotext', pdf).replace(/\s+/g, ' ');
      for (const words of [
        'After-action summary',
        'Sgt. Rivera, MIT Police',
        '1 of 5 people reached (20.0 %)',
        '3.4 s',
      ])
        expect(text).toContain(words);
    },
    60_000,
  );
});

describe('the after-action PDF without Chromium', () => {
  let bare: TestSystem;
  beforeAll(async () => {
    bare = await startTestSystem({
      serve: true,
      work: false,
      env: { TOCSIN_CHROMIUM_PATH: '/nonexistent/chromium' },
    });
  }, 60_000);
  afterAll(async () => {
    await bare.close();
  });

  it('answers 503 saying why, while the HTML page still works', async () => {
    const s = await sendTrackedTestAlert(bare.ctx);
    const headers = { authorization: `Bearer ${await makeToken(bare.ctx, ['alerts.read'])}` };
    const pdf = await fetch(`${bare.url}/api/v1/alerts/${s.alertId}/after-action.pdf`, { headers });
    expect(pdf.status).toBe(503);
    expect(((await pdf.json()) as { error: { message: string } }).error.message).toMatch(
      /needs Chromium, which is not installed at \/nonexistent\/chromium.*HTML version/,
    );
    expect((await fetch(`${bare.url}/api/v1/alerts/${s.alertId}/after-action`, { headers })).status).toBe(
      200,
    );
  });
});
