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
import { embeddedUrl } from '../src/platform/db/embedded.js';
import { benchAlertSend } from './alert-send.bench.js';
import { benchConsoleLoad } from './console-load.bench.js';
import { benchDirectorySync } from './directory-sync.bench.js';
import { benchPersonalEmail } from './personal-email.bench.js';
import { benchPublicPage } from './public-page.bench.js';

// `npm run bench -- --json`: one JSON object on stdout (the table goes to stderr);
// `--only alerts` (or http, audit, queue, passwords, directory, console, public) runs some scenarios;
// `--people N` sizes the campus of the alert and public-page scenarios (default 50,000);
// `--only email` sends personal-link emails to the simulator's SMTP server (`--emails N`, default 10,000).
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : null;
const wanted = (name: string) => !only || only.has(name);
const people = args.includes('--people') ? Number(args[args.indexOf('--people') + 1]) : 50_000;
const emails = args.includes('--emails') ? Number(args[args.indexOf('--emails') + 1]) : 10_000;
const print = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
const rows: Array<[string, string]> = [];
const record = (name: string, value: string) => {
  rows.push([name, value]);
  print(`${name.padEnd(58)} ${value}`);
};
const figures: Record<string, number> = {};

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

const benchPgPort = 54391;

/** A new database on the same server, and how to drop it. */
async function createDatabase(serverUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Run a scenario on a database of its own, dropped afterwards. */
async function onNewDatabase(serverUrl: string, scenario: string, run: (url: string) => Promise<unknown>) {
  const created = await createDatabase(serverUrl, `tocsin_bench_${scenario}_${Date.now()}`);
  try {
    await run(created.url);
  } finally {
    await created.drop();
  }
}

/** A small campus is a smoke check: shorter windows, one pair while the alert sends. */
function publicPageOptions(databaseUrl: string) {
  const smoke = people < 20_000;
  // The simulator at niceness 10: it is the providers' machines, not Tocsin's (AlertSystemOptions.simNice).
  return { databaseUrl, people, simNice: 10, ...(smoke ? { load: { seconds: 3 }, pairs: 1 } : {}) };
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
    TOCSIN_EMBEDDED_PG_PORT: String(benchPgPort),
  });
  const system = await startSystem(config, {
    serve: true,
    work: false,
    migrate: true,
    allowEmbedded: true,
    port: 0,
  });
  print(
    `Tocsin benchmark on ${databaseUrl ? 'a PostgreSQL server' : 'the embedded PostgreSQL'}, Node ${process.version}\n`,
  );
  try {
    if (wanted('http')) await benchHttp(system);
    if (wanted('audit')) await benchAudit(system);
    if (wanted('queue')) await benchQueue(system);
    if (wanted('passwords')) await benchPasswords();
    if (wanted('directory')) await benchDirectorySync(system, record);
    if (wanted('console')) Object.assign(figures, await benchConsoleLoad(record, system.ctx, system.url!));
    if (wanted('email')) Object.assign(figures, await benchPersonalEmail(record, system.ctx, emails));
    const serverUrl = databaseUrl ?? embeddedUrl(benchPgPort);
    if (wanted('alerts'))
      await onNewDatabase(serverUrl, 'alerts', async (url) =>
        Object.assign(figures, await benchAlertSend(record, { databaseUrl: url, people })),
      );
    if (wanted('public'))
      await onNewDatabase(serverUrl, 'public', async (url) =>
        Object.assign(figures, await benchPublicPage(record, publicPageOptions(url))),
      );
    if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
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
