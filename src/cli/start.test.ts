import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { runTocsin, spawnTocsin } from '../../test/support/cli.js';

mkdirSync('.test-data', { recursive: true });
const dataDir = mkdtempSync(path.resolve('.test-data', 'start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The pids of a process's `tocsin worker` children (Linux); its others (PostgreSQL) are left out. */
function workersOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').includes('worker'));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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

      // The server runs in a process per core sharing the port, children of tocsin start.
      const servers = /Server: +(\d+) processes sharing the port, one per core \(pids ([\d, ]+)\)/.exec(
        first.output(),
      )!;
      const serverPids = servers[2]!.split(', ').map(Number);
      expect(serverPids).toHaveLength(Math.max(1, availableParallelism()));
      const children = readFileSync(`/proc/${first.child.pid!}/task/${first.child.pid!}/children`, 'utf8');
      for (const pid of serverPids) expect(children.split(/\s+/)).toContain(String(pid));

      // The workers run in a process of their own, replaced when it dies.
      const workerPid = Number(/Workers: +a process of their own \(pid (\d+)\)/.exec(first.output())![1]);
      expect(workersOf(first.child.pid!)).toEqual([workerPid]);
      await first.waitFor(/Tocsin worker running\./);
      process.kill(workerPid, 'SIGKILL');
      await first.waitFor(/The worker process exited \(SIGKILL\); starting another in 1 s\./);
      await first.waitFor(/Tocsin worker running\.[^]*Tocsin worker running\./);
      const replacement = workersOf(first.child.pid!).filter((pid) => pid !== workerPid);
      expect(replacement).toHaveLength(1);

      first.child.kill('SIGINT');
      expect(await first.exited()).toBe(0);
      expect(first.output()).toContain('Stopped.');
      expect(alive(replacement[0]!), 'the worker process stopped with tocsin start').toBe(false);
      for (const pid of serverPids) expect(alive(pid), 'the server processes stopped too').toBe(false);
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
