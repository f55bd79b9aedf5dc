/**
 * `npm run bench`: figures for the foundation, printed as a table. Runs on DATABASE_URL when set,
 * otherwise on an embedded PostgreSQL in a temporary directory. Compare ratios within one run:
 * the machines are shared and noisy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startSystem, type RunningSystem } from '../src/app/system.js';
import { writeAudit } from '../src/audit/write-audit.js';
import { verifyAudit } from '../src/audit/verify-audit.js';
import { hashPassword, verifyPassword } from '../src/identity/passwords.js';
import { identityPurgeJob } from '../src/identity/identity.jobs.js';
import { systemActor } from '../src/platform/actor.js';
import { loadConfig } from '../src/platform/config.js';
import { benchDirectorySync } from './directory-sync.bench.js';

const rows: Array<[string, string]> = [];
const record = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await run();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

async function benchHttp(system: RunningSystem) {
  const result = await autocannon({ url: `${system.url}/healthz`, connections: 20, duration: 5 });
  record('HTTP GET /healthz: requests/s (20 connections, 5 s)', result.requests.average.toFixed(0));
  record('HTTP GET /healthz: p99 latency ms', String(result.latency.p99));
}

async function benchAudit(system: RunningSystem) {
  const { db } = system.ctx;
  const one = async () =>
    db
      .transaction()
      .execute((trx) => writeAudit(trx, { actor: systemActor, action: 'bench.write', metadata: { n: 1 } }));
  const [, serial] = await timed(async () => {
    for (let i = 0; i < 1000; i += 1) await one();
  });
  record('audit rows/s, one writer (1,000 transactions)', (1000 / serial).toFixed(0));
  const [, parallel] = await timed(async () => {
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 250; i += 1) await one();
      }),
    );
  });
  record('audit rows/s, 8 concurrent writers (1,000 transactions)', (1000 / parallel).toFixed(0));
  const [result, verify] = await timed(() => verifyAudit(db, { trustedPublicKeys: [] }));
  record(`audit verify: rows/s (${result.rows} rows, ok=${result.ok})`, (result.rows / verify).toFixed(0));
}

async function benchQueue(system: RunningSystem) {
  const { db, queue } = system.ctx;
  const [, seconds] = await timed(() =>
    db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2000; i += 1)
        await queue.enqueue(trx, identityPurgeJob, {}, { startAfterSeconds: 3600 });
    }),
  );
  record('jobs enqueued/s inside one transaction (2,000)', (2000 / seconds).toFixed(0));
}

async function benchPasswords() {
  const hash = await hashPassword('correct horse battery staple');
  const [, seconds] = await timed(async () => {
    for (let i = 0; i < 20; i += 1) await verifyPassword(hash, 'correct horse battery staple');
  });
  record('argon2id password check: ms each (sign-in cost)', ((seconds / 20) * 1000).toFixed(1));
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tocsin-bench-'));
  let databaseUrl = process.env.DATABASE_URL;
  let dropName: string | null = null;
  if (databaseUrl) {
    dropName = `tocsin_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create database ${dropName}`);
    await admin.end();
    const u = new URL(databaseUrl);
    u.pathname = `/${dropName}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_LOG_LEVEL: 'silent',
    TOCSIN_EMBEDDED_PG_PORT: '54391',
  });
  const system = await startSystem(config, {
    serve: true,
    work: false,
    migrate: true,
    allowEmbedded: true,
    port: 0,
  });
  console.log(
    `Tocsin foundation benchmark on ${databaseUrl ? 'a PostgreSQL server' : 'the embedded PostgreSQL'}, Node ${process.version}\n`,
  );
  try {
    await benchHttp(system);
    await benchAudit(system);
    await benchQueue(system);
    await benchPasswords();
    await benchDirectorySync(system, record);
  } finally {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (dropName && process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dropName} with (force)`);
      await admin.end();
    }
  }
}

await main();
