import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { runTocsin, spawnTocsin } from '../../test/support/cli.js';

mkdirSync('.test-data', { recursive: true });
const dataDir = mkdtempSync(path.resolve('.test-data', 'start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function login(url: string, username: string, password: string) {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: r.status, body: (await r.json()) as { stage?: string } };
}

describe('tocsin start on the embedded database', () => {
  it(
    'starts, prints how to sign in once, refuses a second process, stops on Ctrl-C and keeps its data',
    { timeout: 120_000 },
    async () => {
      const env = {
        TOCSIN_DATA_DIR: dataDir,
        TOCSIN_PORT: String(await freePort()),
        TOCSIN_EMBEDDED_PG_PORT: String(await freePort()),
      };
      const url = `http://localhost:${env.TOCSIN_PORT}`;
      const first = spawnTocsin(['start'], env);
      await first.waitFor(/Press Ctrl-C to stop/);
      expect(first.output()).toContain(
        `Sign in:   ${url}/login   (then the operator console: ${url}/console/)`,
      );
      const secret = /One-time secret:\s+(\S+)/.exec(first.output())![1]!;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect((await login(url, 'admin', secret)).body.stage).toBe('password_change');

      const second = runTocsin(['start'], { ...env, TOCSIN_PORT: String(await freePort()) });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/Another Tocsin process \(pid \d+\) is already using the data directory/);

      const users = runTocsin(['users', 'list'], env);
      expect(users.stdout).toMatch(/^admin\s+administrator/m);

      first.child.kill('SIGINT');
      expect(await first.exited()).toBe(0);
      expect(first.output()).toContain('Stopped.');
      expect(existsSync(path.join(dataDir, 'tocsin.pid'))).toBe(false);
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const again = spawnTocsin(['start'], env);
      await again.waitFor(/Press Ctrl-C to stop/);
      expect(again.output()).not.toContain('One-time secret');
      expect((await login(url, 'admin', secret)).body.stage).toBe('password_change');
      again.child.kill('SIGTERM');
      expect(await again.exited()).toBe(0);
    },
  );

  it('stops with one message listing every bad variable', () => {
    const r = runTocsin(['start'], {
      TOCSIN_PORT: 'x',
      TOCSIN_LOG_LEVEL: 'chatty',
      TOCSIN_DATA_DIR: dataDir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('TOCSIN_PORT');
    expect(r.stderr).toContain('TOCSIN_LOG_LEVEL');
  });

  it('stops naming the field of a malformed profile', () => {
    const profile = path.join(dataDir, 'bad.yaml');
    writeFileSync(profile, 'version: 1\ninstitution: {name: X}\n');
    const r = runTocsin(['start'], { TOCSIN_PROFILE: profile, TOCSIN_DATA_DIR: path.join(dataDir, 'other') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Invalid policy profile .*bad\.yaml/);
    expect(r.stderr).toMatch(/institution\.shortName/);
  });
});
