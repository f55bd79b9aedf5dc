import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { consoleBuildIsCurrent, consoleDist } from './console-build.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => sys?.close());

describe('the operator console’s files', () => {
  it('is built from the current sources before the server listens', () => {
    expect(consoleBuildIsCurrent()).toBe(true);
  });

  it('answers /console/ and every path under it with the application, revalidated on each load', async () => {
    for (const url of ['/console/', '/console/alerts/123', '/console/send/abc']) {
      const answer = await sys.app!.inject({ url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body).toContain('<div id="root"></div>');
      expect(answer.body).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js">/);
    }
  });

  it('redirects /console to /console/', async () => {
    const answer = await sys.app!.inject({ url: '/console' });
    expect(answer.statusCode).toBe(301);
    expect(answer.headers.location).toBe('/console/');
  });

  it('serves the hashed assets as immutable for a year, under the same security headers', async () => {
    const script = readdirSync(path.join(consoleDist, 'assets')).find((f) => f.endsWith('.js'))!;
    const answer = await sys.app!.inject({ url: `/console/assets/${script}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('javascript');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('sends the brotli copy of a script to a browser that accepts it, and the plain one otherwise', async () => {
    const script = readdirSync(path.join(consoleDist, 'assets')).find((f) => f.endsWith('.js'))!;
    const plain = await sys.app!.inject({ url: `/console/assets/${script}` });
    const br = await sys.app!.inject({
      url: `/console/assets/${script}`,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('answers 404 for an asset that does not exist', async () => {
    const answer = await sys.app!.inject({ url: '/console/assets/nope-123.js' });
    expect(answer.statusCode).toBe(404);
  });

  it('tells anyone the institution and sign-in options, and nothing more', async () => {
    const answer = await sys.app!.inject({ url: '/api/v1/console/settings' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      institution: {
        name: 'Massachusetts Institute of Technology',
        shortName: 'MIT',
        alertProgramName: 'MIT Alert',
      },
      ssoEnabled: false,
      breakGlassPath: '/send',
      timezone: 'America/New_York',
      branding: { primaryColour: '#A31F34', accentColour: '#8A8B8C' },
    });
  });

  it('gives the server-rendered pages one identity: the profile’s colours, the system’s fonts, the favicon, a way back', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await sys.app!.inject({ url: path });
      expect(icon.statusCode, path).toBe(200);
      expect(icon.headers['content-type'], path).toMatch(/^image\/svg\+xml/);
      expect(icon.body, path).toContain('fill="#A31F34"');
    }
    for (const path of ['/login', '/register', '/register?lang=es']) {
      const page = await sys.app!.inject({ url: path });
      expect(page.statusCode, path).toBe(200);
      expect(page.body, path).toContain('#A31F34');
      expect(page.body, path).toContain('<link rel="icon" href="data:image/svg+xml,');
      expect(page.body, path).toContain('font:1.0625rem/1.5 system-ui');
      expect(page.body, path).not.toMatch(/@font-face|@import|url\(/i);
    }
    const register = (await sys.app!.inject({ url: '/register' })).body;
    expect(register).toMatch(/<a href="\/">Back to the emergency page<\/a>/);
    const spanish = (await sys.app!.inject({ url: '/register?lang=es' })).body;
    expect(spanish).toMatch(/<a href="\/index.es.html">Volver a la página de emergencias<\/a>/);
  });
});
