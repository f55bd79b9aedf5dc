import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { makeToken } from '../../../test/support/operators.js';
import { serverPlan } from '../../app/routes.js';
import { openDatabase } from '../db/database.js';
import { buildServer } from './server.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys.close();
});

describe('the HTTP server', () => {
  it('answers liveness and readiness', async () => {
    expect((await sys.app!.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await sys.app!.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('reports not ready when the database does not answer', async () => {
    const dead = openDatabase('postgres://nobody@127.0.0.1:1/none', { poolSize: 1 });
    const app = await buildServer({ ...sys.ctx, db: dead.db }, serverPlan);
    const r = await app.inject('/readyz');
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('unavailable');
    await app.close();
    await dead.close();
  });

  it('logs one line per request at its route’s level: a provider’s status callbacks only at debug', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = await buildServer({ ...sys.ctx, log }, serverPlan);
    await app.inject('/healthz');
    await app.inject({ method: 'POST', url: '/webhooks/twilio/status?delivery=x', payload: 'a=1' });
    const requests = lines.filter((l) => l.msg === 'request completed' || l.msg === 'incoming request');
    expect(requests).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/healthz' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    await app.close();
  });

  it('gives every response a request id, keeping a well-formed one from the caller', async () => {
    const mine = await sys.app!.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers['x-request-id']).toBe('abc-123');
    const evil = await sys.app!.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(evil.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with the error shape', async () => {
    const r = await sys.app!.inject('/api/v1/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here.' } });
  });

  it('explains a validation failure field by field', async () => {
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: '', extra: 1 },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('validation');
    const fields = body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'extra']));
  });

  it('answers malformed JSON and unsupported content types with 4xx', async () => {
    const bad = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(bad.statusCode).toBe(400);
    const xml = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    const big = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(2_000_000) }),
    });
    expect(big.statusCode).toBe(413);
  });

  it('serves the OpenAPI document and its viewer at /api/docs', async () => {
    const doc = await sys.app!.inject('/api/docs/json');
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toBe('3.0.3');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/operators', '/api/v1/audit', '/readyz']),
    );
    const ui = await sys.app!.inject('/api/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('exposes Prometheus metrics to a token with metrics.read', async () => {
    const token = await makeToken(sys.ctx, ['metrics.read']);
    await sys.app!.inject('/healthz');
    const r = await sys.app!.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/plain/);
    expect(r.body).toMatch(/tocsin_http_requests_total\{method="GET",route="\/healthz",status="200"\}/);
  });

  it('sets security headers', async () => {
    const r = await sys.app!.inject('/login');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});
