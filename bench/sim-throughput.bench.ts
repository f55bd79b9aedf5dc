/**
 * Throughput of the simulator's Twilio Messages API: `node --import tsx bench/sim-throughput.bench.ts
 * [seconds] [connections]`. Runs `tocsin sim` as its own process and drives it with autocannon over
 * keep-alive connections from this one, first without status callbacks, then with every message's
 * two callbacks POSTed back to a receiver here. Prints requests/s, latency, the simulator's counts
 * and its memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { packageRoot } from '../src/platform/config.js';
import type { CallbackCounts } from '../src/sim/callbacks.js';
import { simulatorDefaults } from '../src/sim/simulator.js';
import type { StatsSnapshot } from '../src/sim/stats.js';
import { freePort } from '../test/support/ports.js';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);
const print = (line: string) => process.stdout.write(`${line}\n`);
/** CPU seconds (user + system) a process has used so far. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

async function startSimProcess(port: number, smtpPort: number) {
  const child = spawn(
    process.execPath,
    [
      path.join(packageRoot, 'bin', 'tocsin.mjs'),
      'sim',
      '--port',
      String(port),
      '--smtp-port',
      String(smtpPort),
      '--sms-rate',
      '0',
      '--callback-delay-ms',
      '20',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl-C')) resolve();
    });
  });
  return child;
}

async function startCallbackReceiver() {
  let received = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received: () => received, server };
}

const fixed = new URLSearchParams({
  From: '+16175550100',
  Body: 'MIT Alert: shelter in place at the Student Center. Details: https://alert.mit.test',
}).toString();

async function load(
  base: string,
  label: string,
  callbackUrl: string | undefined,
  simPid: number,
  runSeconds = seconds,
) {
  // Bodies are built by concatenation: the load generator shares the machine and must stay cheap.
  let n = 0;
  const callback = callbackUrl
    ? `&StatusCallback=${encodeURIComponent(`${callbackUrl}?delivery=bench-`)}`
    : undefined;
  const cpuBefore = cpuSeconds(simPid);
  const { accountSid, authToken } = simulatorDefaults;
  const result = await autocannon({
    url: base,
    connections,
    duration: runSeconds,
    requests: [
      {
        method: 'POST',
        path: `/2010-04-01/Accounts/${accountSid}/Messages.json`,
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        setupRequest: (request) => {
          n += 1;
          const id = String(n);
          return {
            ...request,
            body: `${fixed}&To=%2B1555${id.padStart(7, '0')}${callback ? `${callback}${id}` : ''}`,
          };
        },
      },
    ],
  });
  if (label === '') return;
  const cpu = cpuSeconds(simPid) - cpuBefore;
  const perRequestUs = (cpu / Math.max(1, result['2xx'])) * 1e6;
  print(
    `${label}: ${Math.round(result.requests.average)} req/s average, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result['2xx']} accepted, ${result.non2xx} non-2xx, ${result.errors} errors`,
  );
  print(
    `  simulator CPU: ${Math.round((cpu / runSeconds) * 100)}% of one core, ${Math.round(perRequestUs)} µs per request (about ${Math.round(1e6 / perRequestUs)} req/s per core)`,
  );
}

async function simStats(base: string) {
  return (await (await fetch(`${base}/control/stats`)).json()) as StatsSnapshot & {
    callbacks: CallbackCounts;
  };
}

const [port, smtpPort] = [await freePort(), await freePort()];
const base = `http://127.0.0.1:${port}`;
const child = await startSimProcess(port, smtpPort);
const receiver = await startCallbackReceiver();
try {
  print(
    `tocsin sim pid ${child.pid}: ${rssMb(child.pid!)} MB RSS at start; ${connections} connections, ${seconds} s per run`,
  );
  await load(base, '', undefined, child.pid!, 2);
  await fetch(`${base}/control/reset`, { method: 'POST' });
  await load(base, 'SMS create, no callbacks', undefined, child.pid!);
  let stats = await simStats(base);
  print(`  simulator: ${stats.channels.sms.accepted} accepted, ${rssMb(child.pid!)} MB RSS`);
  await fetch(`${base}/control/reset`, { method: 'POST' });
  await load(
    base,
    'SMS create + 2 signed callbacks each',
    `http://127.0.0.1:${receiver.port}/receipts`,
    child.pid!,
  );
  const deadline = Date.now() + 60_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stats = await simStats(base);
  } while ((stats.callbacks.pending > 0 || stats.callbacks.inFlight > 0) && Date.now() < deadline);
  const s = stats.channels.sms;
  print(
    `  simulator: ${s.accepted} accepted, ${s.uniqueDeliveryIds} unique ids, ${s.duplicates} duplicates; callbacks ${stats.callbacks.sent} sent, ${JSON.stringify(stats.callbacks.failed)} failed, ${stats.callbacks.dropped} dropped; receiver got ${receiver.received()}; ${rssMb(child.pid!)} MB RSS`,
  );
} finally {
  child.kill('SIGTERM');
  receiver.server.close();
}
