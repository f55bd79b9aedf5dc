import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/platform/config.js';

const tocsinBin = path.join(packageRoot, 'bin', 'tocsin.mjs');

/** Environment for a child Tocsin: the parent's, minus any DATABASE_URL, plus overrides. */
function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  for (const key of Object.keys(env)) if (key.startsWith('TOCSIN_')) delete env[key];
  return { ...env, TOCSIN_LOG_LEVEL: 'warn', ...overrides };
}

/** Run a tocsin command to completion. */
export function runTocsin(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [tocsinBin, ...args], {
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningTocsin {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited(): Promise<number | null>;
}

/** Start a long-running tocsin command (start, serve, worker) and watch its output. */
export function spawnTocsin(args: string[], env: Record<string, string>): RunningTocsin {
  const child = spawn(process.execPath, [tocsinBin, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited: () => exit,
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(out);
        if (match) return match[0];
        if (child.exitCode !== null)
          throw new Error(`tocsin ${args.join(' ')} exited ${child.exitCode}:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${pattern} in:\n${out}`);
    },
  };
}
