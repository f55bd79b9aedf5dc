import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { tamper } from './audit-test-support.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { loadOrCreateSigningKey } from './signing-key.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function auditRows(action: string) {
  return sys.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

interface AuditPage {
  rows: {
    seq: string;
    action: string;
    actorType: string;
    actorLabel: string | null;
    hash: string;
    metadata: unknown;
  }[];
  nextBeforeSeq: string | null;
}

describe('GET /api/v1/audit', () => {
  it('returns rows newest first to a token with audit.read, and records that it was read', async () => {
    const token = await makeToken(sys.ctx, ['audit.read']);
    const before = await auditRows('audit.read');

    const res = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit?limit=3',
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<AuditPage>();
    expect(page.rows).toHaveLength(3);
    const seqs = page.rows.map((r) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(page.rows[0]).toMatchObject({
      action: 'api_token.create',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(page.nextBeforeSeq).toBe(page.rows[2]!.seq);

    const reads = await auditRows('audit.read');
    expect(reads).toHaveLength(before.length + 1);
    expect(reads.at(-1)).toMatchObject({
      actor_type: 'api_token',
      outcome: 'success',
      metadata: { filter: { limit: 3 }, rows: 3 },
    });
    expect(Number(reads.at(-1)!.seq)).toBeGreaterThan(seqs[0]!);
  });

  it('pages back with beforeSeq and filters by action', async () => {
    const token = await makeToken(sys.ctx, ['audit.read']);
    const first = (
      await sys.app!.inject({ method: 'GET', url: '/api/v1/audit?limit=2', headers: bearer(token) })
    ).json<AuditPage>();
    const second = await sys.app!.inject({
      method: 'GET',
      url: `/api/v1/audit?limit=2&beforeSeq=${first.nextBeforeSeq}`,
      headers: bearer(token),
    });
    expect(second.json<AuditPage>().rows.every((r) => Number(r.seq) < Number(first.nextBeforeSeq))).toBe(
      true,
    );

    const reads = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit?action=audit.read',
      headers: bearer(token),
    });
    const rows = reads.json<AuditPage>().rows;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.action === 'audit.read')).toBe(true);
  });

  it('records a filter containing text JSON escapes awkwardly, keeping the chain verifiable', async () => {
    const token = await makeToken(sys.ctx, ['audit.read', 'audit.verify']);
    const action = 'C:\\u0000\\evil';
    const res = await sys.app!.inject({
      method: 'GET',
      url: `/api/v1/audit?action=${encodeURIComponent(action)}`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditRows('audit.read')).at(-1)!.metadata).toEqual({
      filter: { limit: 100, action },
      rows: 0,
    });
    const verification = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit/verification',
      headers: bearer(token),
    });
    expect(verification.json()).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses a token without audit.read with 403 and records the denial', async () => {
    const token = await makeToken(sys.ctx, ['audit.verify']);
    const res = await sys.app!.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(token) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/audit\.read/),
    });
    expect((await auditRows('access.denied')).at(-1)).toMatchObject({
      outcome: 'denied',
      metadata: expect.objectContaining({ permission: 'audit.read' }),
    });
  });

  it('refuses a request without credentials with 401', async () => {
    const res = await sys.app!.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/v1/audit/verification', () => {
  it('reports an intact chain and its checkpoint to a token with audit.verify', async () => {
    await signCheckpoint(sys.ctx.db, loadOrCreateSigningKey(sys.config.auditKeyFile));
    const token = await makeToken(sys.ctx, ['audit.verify']);
    const res = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit/verification',
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, checkpoints: 1, problems: [] });
    expect(body.rows).toBeGreaterThan(0);
    expect(body.lastSeq).toBe(String(body.rows));
  });

  it('refuses a token without audit.verify with 403', async () => {
    const token = await makeToken(sys.ctx, ['audit.read']);
    const res = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit/verification',
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('reports tampering instead of ok', async () => {
    const token = await makeToken(sys.ctx, ['audit.verify']);
    await tamper(sys.database.url, (c) =>
      c.query(`update audit_log set actor_label = 'someone else' where seq = 2`),
    );
    const res = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/audit/verification',
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, problems: [{ kind: 'row_edited', seq: '2' }] });
  });
});
