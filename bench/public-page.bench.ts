/**
 * The public-page benchmark: GET / on Tocsin while a campus-wide alert (SMS, email, voice and the
 * public page) fans out and is delivered, against nginx serving the same bytes as a static file,
 * in alternating windows so both see the same background load; then both again once the alert is
 * sent. Load from wrk when installed, otherwise autocannon, in its own process either way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { freePort } from '../test/support/ports.js';
import {
  alertStatus,
  round1,
  round2,
  sleep,
  startAlertSystem,
  stopChild,
  waitUntilSent,
  type AlertSystem,
  type AlertSystemOptions,
  type RecordFigure,
  sendCampusWideTest,
} from './alert-system.js';

const wrkPath = '/usr/bin/wrk';
const nginxPath = '/usr/sbin/nginx';

/** One load window: the same for both targets. */
export interface LoadShape {
  connections: number;
  threads: number;
  seconds: number;
}

export interface PublicPageBenchOptions extends AlertSystemOptions {
  load?: Partial<LoadShape>;
  /** Window pairs (Tocsin, nginx) while the alert is sending; fewer when it ends sooner. */
  pairs?: number;
}

interface LoadResult {
  rps: number;
  p99Ms: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
}

const exec = (command: string, args: string[]) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command}: ${out}`))));
  });

const wrkUnits: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** wrk's "Requests/sec", "99%" of the latency distribution and error lines. */
export function parseWrk(output: string): LoadResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const errors = (socket ? socket.slice(1).reduce((a, n) => a + Number(n), 0) : 0) + non2xx;
  return { rps, p99Ms: p99 ? Number(p99[1]) * wrkUnits[p99[2]!]! : NaN, errors };
}

async function wrk(url: string, shape: LoadShape): Promise<LoadResult> {
  const args = ['-t', String(shape.threads), '-c', String(shape.connections), '-d', `${shape.seconds}s`];
  return parseWrk(await exec(wrkPath, [...args, '--timeout', '5s', '--latency', url]));
}

async function autocannon(url: string, shape: LoadShape): Promise<LoadResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = ['-c', String(shape.connections), '-d', String(shape.seconds), '-j', url];
  const result = JSON.parse(await exec(process.execPath, [cli, ...args])) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p99Ms: result.latency.p99, errors };
}

const loadGenerator = existsSync(wrkPath) ? 'wrk' : 'autocannon';
const measure = loadGenerator === 'wrk' ? wrk : autocannon;

interface Nginx {
  url: string;
  stop(): Promise<void>;
}

function nginxConfig(dir: string, port: number): string {
  // As root the workers would run as nobody: run them as nobody explicitly, files world-readable.
  const user = process.getuid?.() === 0 ? 'user nobody nogroup;\n' : '';
  return `${user}daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; }
  default_type application/octet-stream;
  charset utf-8;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/site;
    index index.html;
  }
}
`;
}

/** nginx in the foreground on a free loopback port serving `dir/site`; null when not installed. */
async function startNginx(dir: string): Promise<Nginx | null> {
  if (!existsSync(nginxPath)) return null;
  const port = await freePort();
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port));
  const child: ChildProcess = spawn(
    nginxPath,
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (const end = Date.now() + 10_000; Date.now() < end; await sleep(50)) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}; see ${dir}/error.log`);
    const answer = await fetch(url).catch(() => null);
    if (answer) return { url, stop: () => stopChild(child) };
  }
  await stopChild(child);
  throw new Error(`nginx did not answer on ${url}`);
}

/** Deliveries of the alert not yet final, and whether the fan-out finished. */
async function progress(running: AlertSystem, alertId: string) {
  const { rows } = await sql<{ pending: number; fanned_out: boolean }>`
    select (select count(*)::int from deliveries where alert_id = ${alertId}
              and status in ('created', 'queued', 'sending', 'temporary_failure')) as pending,
           bool_and(fanned_out_at is not null) as fanned_out
    from alert_messages where alert_id = ${alertId}`.execute(running.ctx.db);
  return { pending: rows[0]!.pending, fannedOut: rows[0]!.fanned_out };
}

/** Poll GET / until it shows the alert; its bytes. */
async function pageShowing(url: string, alertId: string): Promise<Buffer> {
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(50)) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    if (body.includes(alertId)) return body;
  }
  throw new Error(`the public page did not show alert ${alertId} within 30 s`);
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);

/** The targets, in the order each round measures them: tocsin start (as npm start), tocsin serve with a process per core, nginx. */
const targetNames = ['tocsin', 'serve', 'nginx'] as const;
type TargetName = (typeof targetNames)[number];
type Windows = Record<TargetName, LoadResult[]>;
const targetLabel: Record<TargetName, string> = {
  tocsin:
    'Tocsin (tocsin start, as npm start: a server process per core taking the callbacks, the workers apart)',
  serve: 'Tocsin (tocsin serve, one process per core)',
  nginx: 'nginx',
};

/** Alternate the targets' windows; `more()` decides whether another round follows. */
async function alternate(
  record: RecordFigure,
  label: string,
  targets: Record<TargetName, string | null>,
  shape: LoadShape,
  more: (pair: number) => Promise<boolean>,
): Promise<Windows> {
  const windows: Windows = { tocsin: [], serve: [], nginx: [] };
  for (let pair = 1; pair === 1 || (await more(pair)); pair += 1) {
    for (const name of targetNames) {
      const url = targets[name];
      if (!url) continue;
      const result = await measure(url, shape);
      windows[name].push(result);
      record(
        `${label} window ${pair}, ${targetLabel[name]}: req/s · p99 ms · errors`,
        `${result.rps.toFixed(0)} · ${round1(result.p99Ms)} · ${result.errors}`,
      );
    }
  }
  return windows;
}

export async function benchPublicPage(
  record: RecordFigure,
  options: PublicPageBenchOptions,
): Promise<Record<string, number>> {
  const shape: LoadShape = { connections: 32, threads: 2, seconds: 5, ...options.load };
  const dir = mkdtempSync(path.join(tmpdir(), 'tocsin-bench-nginx-'));
  chmodSync(dir, 0o755);
  const running = await startAlertSystem(record, { ...options, asNpmStart: true });
  let nginx: Nginx | null = null;
  try {
    nginx = await startNginx(dir);
    if (!nginx) record('nginx: not installed (apt-get install nginx-light); Tocsin figures only', '-');
    return await measureDuringAlert(record, running, { dir, shape, nginx, pairs: options.pairs ?? 3 });
  } finally {
    await nginx?.stop();
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureDuringAlert(
  record: RecordFigure,
  running: AlertSystem,
  setup: { dir: string; shape: LoadShape; nginx: Nginx | null; pairs: number },
): Promise<Record<string, number>> {
  const { ctx, url } = running;
  const { shape, nginx } = setup;
  const t0 = Date.now();
  const alertId = await sendCampusWideTest(
    running,
    ['sms', 'email', 'voice', 'public_page'],
    'benchmark: the public page under load',
  );
  const page = await pageShowing(`${url}/`, alertId);
  const figures: Record<string, number> = { public_page_shown_ms: Date.now() - t0 };
  figures.public_page_bytes = page.length;
  writeSite(setup.dir, page);
  record('public page shows the alert: ms after send', String(figures.public_page_shown_ms));
  record('public page: bytes', String(figures.public_page_bytes));
  record(
    `load: ${loadGenerator}, ${shape.threads} threads, ${shape.connections} connections`,
    `${shape.seconds} s windows`,
  );
  const serveUrl = await running.startServe();
  await pageShowing(`${serveUrl}/`, alertId);
  const targets = { tocsin: `${url}/`, serve: `${serveUrl}/`, nginx: nginx?.url ?? null };
  const before = await progress(running, alertId);
  const loaded = await alternate(
    record,
    'during alert',
    targets,
    shape,
    async (pair) => pair <= setup.pairs && (await alertStatus(ctx, alertId)) !== 'sent',
  );
  const after = await progress(running, alertId);
  figures.deliveries_pending_at_start = before.pending;
  figures.fanout_done_at_start = before.fannedOut ? 1 : 0;
  figures.deliveries_pending_at_end = after.pending;
  figures.alert_sending_at_end = (await alertStatus(ctx, alertId)) === 'sent' ? 0 : 1;
  record(
    'deliveries pending at start → end of the windows (fan-out done at start)',
    `${before.pending} → ${after.pending} (${before.fannedOut ? 'yes' : 'no'})`,
  );
  await waitUntilSent(ctx, alertId, 600_000);
  await sleep(2_000); // the last status callbacks
  const idle = await alternate(record, 'after alert', targets, shape, async () => false);
  Object.assign(figures, summarise(loaded, idle));
  printSummary(record, figures, nginx !== null);
  return figures;
}

/** The page as nginx's document root, readable by its workers. */
function writeSite(dir: string, page: Buffer): void {
  const site = path.join(dir, 'site');
  mkdirSync(site, { recursive: true, mode: 0o755 });
  writeFileSync(path.join(site, 'index.html'), page, { mode: 0o644 });
}

function summarise(loaded: Windows, idle: Windows): Record<string, number> {
  const figures: Record<string, number> = {
    public_rps: Math.round(mean(loaded.tocsin.map((w) => w.rps))),
    public_p99_ms: round1(Math.max(...loaded.tocsin.map((w) => w.p99Ms))),
    public_rps_idle: Math.round(mean(idle.tocsin.map((w) => w.rps))),
    public_p99_ms_idle: round1(Math.max(...idle.tocsin.map((w) => w.p99Ms))),
    public_errors: [...loaded.tocsin, ...idle.tocsin].reduce((a, w) => a + w.errors, 0),
    public_windows_during_alert: loaded.tocsin.length,
  };
  figures.public_serve_rps = Math.round(mean(loaded.serve.map((w) => w.rps)));
  figures.public_serve_p99_ms = round1(Math.max(...loaded.serve.map((w) => w.p99Ms)));
  figures.public_serve_rps_idle = Math.round(mean(idle.serve.map((w) => w.rps)));
  if (loaded.nginx.length === 0) return figures;
  figures.nginx_rps = Math.round(mean(loaded.nginx.map((w) => w.rps)));
  figures.nginx_p99_ms = round1(Math.max(...loaded.nginx.map((w) => w.p99Ms)));
  figures.nginx_rps_idle = Math.round(mean(idle.nginx.map((w) => w.rps)));
  figures.nginx_p99_ms_idle = round1(Math.max(...idle.nginx.map((w) => w.p99Ms)));
  figures.nginx_errors = [...loaded.nginx, ...idle.nginx].reduce((a, w) => a + w.errors, 0);
  figures.public_ratio_to_nginx = round2(figures.public_rps! / figures.nginx_rps);
  figures.public_ratio_to_nginx_idle = round2(figures.public_rps_idle! / figures.nginx_rps_idle);
  figures.public_serve_ratio_to_nginx = round2(figures.public_serve_rps! / figures.nginx_rps);
  figures.public_serve_ratio_to_nginx_idle = round2(figures.public_serve_rps_idle! / figures.nginx_rps_idle);
  return figures;
}

function printSummary(record: RecordFigure, f: Record<string, number>, withNginx: boolean): void {
  record('public_rps: Tocsin GET / req/s during the alert (mean of windows)', String(f.public_rps));
  record('public_p99_ms: Tocsin p99 during the alert (worst window)', String(f.public_p99_ms));
  if (withNginx) {
    record('nginx_rps: nginx, same page, req/s during the alert', String(f.nginx_rps));
    record('nginx_p99_ms: nginx p99 during the alert (worst window)', String(f.nginx_p99_ms));
    record('public_ratio_to_nginx (target ≥ 0.5; p99 target < 50 ms)', String(f.public_ratio_to_nginx));
  }
  record(
    'public_serve_rps: tocsin serve (a process per core), req/s during the alert',
    String(f.public_serve_rps),
  );
  record('public_serve_p99_ms: its p99 during the alert (worst window)', String(f.public_serve_p99_ms));
  if (withNginx)
    record('public_serve_ratio_to_nginx (during the alert)', String(f.public_serve_ratio_to_nginx));
  record('public_rps_idle: Tocsin req/s after the alert', String(f.public_rps_idle));
  if (withNginx) {
    record('nginx_rps_idle: nginx req/s after the alert', String(f.nginx_rps_idle));
    record('ratio to nginx after the alert', String(f.public_ratio_to_nginx_idle));
    record(
      'tocsin serve (a process per core): ratio to nginx after the alert',
      String(f.public_serve_ratio_to_nginx_idle),
    );
  }
}
