import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../platform/log.js';
import { channels, faultsProblems, type Channel, type FaultsInput } from '../sim/faults.js';
import {
  simulatorDefaults,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../sim/simulator.js';
import { fail } from './cli-support.js';

interface SimFlags {
  host: string;
  port: number;
  smtpPort: number;
  accountSid: string;
  authToken: string;
  senders: string;
  smsRate: number;
  callRate: number;
  errorRate: number;
  latencyMs: number;
  jitterMs: number;
  timeoutRate: number;
  timeoutMs: number;
  outage: string[];
  faults?: string;
  callbackDelayMs: number;
  keepMessages: number;
  maxTrackedIds: number;
  smtpRequireAuth?: boolean;
  smtpUser?: string;
  smtpPassword?: string;
  xBearerToken?: string;
  facebookAccessToken?: string;
  logLevel: string;
}

const number = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
  return n;
};
const integer = (min: number, max: number) => (value: string) => {
  const n = number(min, max)(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];

/** `--senders +16175550100,+18335550100=3`: the senders, and the ones given their own segment rate. */
function parseSenders(list: string): { senders: string[]; senderRates: Record<string, number> } {
  const senders: string[] = [];
  const senderRates: Record<string, number> = {};
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [sender, rate] = item.split('=') as [string, string | undefined];
    senders.push(sender);
    if (rate !== undefined) senderRates[sender] = number(0, 1_000_000)(rate);
  }
  if (senders.length === 0) throw new Error('--senders needs at least one number or short code.');
  return { senders, senderRates };
}

/** `--outage sms:30:60:503`: channel, start (seconds from now), duration (seconds), status. */
function parseOutage(spec: string): FaultsInput {
  const [channel, starts, duration, status = '503'] = spec.split(':');
  if (!channels.includes(channel as Channel) || !duration || !['500', '503'].includes(status))
    throw new Error(
      `--outage ${spec}: expected channel:startSeconds:durationSeconds[:500|503], channel one of ${channels.join(', ')}.`,
    );
  const outage = {
    startsInMs: Math.round(number(0, 86_400)(starts ?? '0') * 1000),
    durationMs: Math.round(number(0.001, 86_400)(duration) * 1000),
    status: Number(status) as 500 | 503,
  };
  return { [channel as Channel]: { outages: [outage] } };
}

/** Faults from the flags: `all` from the rate and latency flags, then a --faults file, then outages. */
function faultsFrom(flags: SimFlags): FaultsInput {
  const file: FaultsInput = flags.faults
    ? (JSON.parse(readFileSync(flags.faults, 'utf8')) as FaultsInput)
    : {};
  const problems = faultsProblems(file);
  if (problems.length) throw new Error(`${flags.faults}: invalid faults\n  ${problems.join('\n  ')}`);
  const faults: FaultsInput = {
    ...file,
    all: {
      errorRate: flags.errorRate,
      latencyMs: flags.latencyMs,
      jitterMs: flags.jitterMs,
      timeoutRate: flags.timeoutRate,
      timeoutMs: flags.timeoutMs,
      ...file.all,
    },
  };
  for (const spec of flags.outage) {
    for (const [channel, f] of Object.entries(parseOutage(spec)) as Array<[Channel, { outages: [] }]>)
      faults[channel] = { ...faults[channel], outages: [...(faults[channel]?.outages ?? []), ...f.outages] };
  }
  return faults;
}

function optionsFrom(flags: SimFlags): SimulatorOptions {
  const { senders, senderRates } = parseSenders(flags.senders);
  return {
    host: flags.host,
    port: flags.port,
    smtpPort: flags.smtpPort,
    accountSid: flags.accountSid,
    authToken: flags.authToken,
    senders,
    senderRates,
    smsSegmentsPerSecond: flags.smsRate,
    callsPerSecond: flags.callRate,
    callbackDelayMs: flags.callbackDelayMs,
    keepMessages: flags.keepMessages,
    maxTrackedIds: flags.maxTrackedIds,
    smtpAuth: {
      required: Boolean(flags.smtpRequireAuth),
      user: flags.smtpUser,
      password: flags.smtpPassword,
    },
    xBearerToken: flags.xBearerToken,
    facebookAccessToken: flags.facebookAccessToken,
    faults: faultsFrom(flags),
    log: createLogger(flags.logLevel, 'tocsin-sim'),
  };
}

function printBanner(sim: Simulator, options: SimulatorOptions): void {
  const { urls } = sim;
  const rate = (sender: string) =>
    `${options.senderRates?.[sender] ?? options.smsSegmentsPerSecond} segments/s`;
  const lines = [
    '',
    'Tocsin provider simulator running.',
    `  Twilio API:      ${urls.twilio}  (account ${sim.settings.accountSid})`,
    `  Senders:         ${[...sim.settings.senders].map((s) => `${s} (${rate(s)})`).join(', ')}`,
    `  SMTP:            ${urls.smtp.host}:${urls.smtp.port}`,
    `  Webhook sink:    ${urls.webhookSink}`,
    `  CAP sink:        ${urls.capSink}`,
    `  X API:           ${urls.x}/2/tweets`,
    `  Facebook Graph:  ${urls.facebook}/v19.0/<page>/feed`,
    `  Control:         ${urls.control}  (GET stats, messages, faults; POST faults, reset, inbound-sms)`,
    '',
    'Point Tocsin at it with:',
    ...Object.entries(sim.environment).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

function stopOnSignal(sim: Simulator): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(error),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** tocsin sim. */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description(
      'Run the provider simulator for drills, demos, tests and benchmarks: a Twilio-compatible SMS/voice API, an SMTP server, webhook, CAP, X and Facebook sinks, with latency, error, timeout, outage and rate-limit injection; counts every message and every duplicate',
    )
    .option('--host <address>', 'address to bind', simulatorDefaults.host)
    .option('--port <port>', 'HTTP port (Twilio, sinks, X, Facebook, control)', integer(0, 65535), 4010)
    .option('--smtp-port <port>', 'SMTP port', integer(0, 65535), 2525)
    .option('--account-sid <sid>', 'Twilio account SID to accept', simulatorDefaults.accountSid)
    .option(
      '--auth-token <token>',
      'Twilio auth token to accept and sign callbacks with',
      simulatorDefaults.authToken,
    )
    .option(
      '--senders <list>',
      'comma-separated sender numbers or short codes; sender=rate gives one its own segments per second',
      simulatorDefaults.senders.join(','),
    )
    .option(
      '--sms-rate <segments>',
      'SMS segments per second per sender (0: unlimited)',
      number(0, 1e6),
      simulatorDefaults.smsSegmentsPerSecond,
    )
    .option(
      '--call-rate <calls>',
      'calls per second per sender (0: unlimited)',
      number(0, 1e6),
      simulatorDefaults.callsPerSecond,
    )
    .option(
      '--error-rate <fraction>',
      'fraction of requests answered 500 (SMTP 451), every channel',
      number(0, 1),
      0,
    )
    .option('--latency-ms <ms>', 'latency added to every request', integer(0, 3_600_000), 0)
    .option('--jitter-ms <ms>', 'random extra latency up to this', integer(0, 3_600_000), 0)
    .option('--timeout-rate <fraction>', 'fraction of requests never answered', number(0, 1), 0)
    .option(
      '--timeout-ms <ms>',
      'hang up on those after this long (0: never answer)',
      integer(0, 3_600_000),
      0,
    )
    .option('--outage <spec>', 'channel:startSeconds:durationSeconds[:500|503]; repeatable', collect, [])
    .option('--faults <file>', 'JSON faults file, as POST /control/faults takes (per channel, rate limits)')
    .option(
      '--callback-delay-ms <ms>',
      'delay before each status callback',
      integer(0, 3_600_000),
      simulatorDefaults.callbackDelayMs,
    )
    .option(
      '--keep-messages <count>',
      'messages kept for /control/messages (about 0.7 KB each)',
      integer(0, 5_000_000),
      simulatorDefaults.keepMessages,
    )
    .option(
      '--max-tracked-ids <count>',
      'delivery ids remembered for duplicate counting (about 250 bytes each)',
      integer(0, 50_000_000),
      simulatorDefaults.maxTrackedIds,
    )
    .option('--smtp-require-auth', 'refuse mail without SMTP AUTH')
    .option('--smtp-user <user>', 'SMTP AUTH user to require (any when unset)')
    .option('--smtp-password <password>', 'SMTP AUTH password to require')
    .option('--x-bearer-token <token>', 'bearer token X requires (any when unset)')
    .option('--facebook-access-token <token>', 'page access token Facebook requires (any when unset)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'warn')
    .action(async (flags: SimFlags) => {
      try {
        const options = optionsFrom(flags);
        const sim = await startSimulator(options);
        printBanner(sim, options);
        stopOnSignal(sim);
      } catch (error) {
        fail(error);
      }
    });
}
