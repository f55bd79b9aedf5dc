import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import pino, { type Logger } from 'pino';
import { CallbackDispatcher } from './callbacks.js';
import { applyFaults, registerControlRoutes, resetSim, statsOf } from './control.routes.js';
import { FaultBook, faultsProblems, type FaultsInput } from './faults.js';
import { HungRequests } from './hung-requests.js';
import { MessageStore, type MessageQuery, type StoredMessage } from './message-store.js';
import { ChannelLimiter, SenderLimiter, type RateLimits } from './rate-limits.js';
import type { SimContext, SimSettings } from './sim-context.js';
import { webhookAgent } from './signed-post.js';
import { startSmtp, type SimSmtp, type SmtpAuthOptions } from './smtp.js';
import { registerSinkRoutes } from './sinks.routes.js';
import { registerSocialRoutes } from './social.routes.js';
import { environmentFor, type SimulatorUrls } from './sim-environment.js';
import type { CallbackCounts } from './callbacks.js';
import { SimStats, type StatsSnapshot } from './stats.js';
import { registerTwilioRoutes } from './twilio.routes.js';

/** How to start a simulator. Everything is optional; ports default to 0 (any free port). */
export interface SimulatorOptions {
  host?: string;
  port?: number;
  smtpPort?: number;
  accountSid?: string;
  authToken?: string;
  /** Numbers and short codes the account may send from. */
  senders?: string[];
  /** Default SMS segments per second per sender (0: unlimited). */
  smsSegmentsPerSecond?: number;
  /** Segments per second of particular senders. */
  senderRates?: Record<string, number>;
  /** Calls per second per sender (0: unlimited). */
  callsPerSecond?: number;
  smtpAuth?: Partial<SmtpAuthOptions>;
  xBearerToken?: string;
  facebookAccessToken?: string;
  /** Delay before each status callback step (sent, delivered, …). */
  callbackDelayMs?: number;
  /** Status callbacks in flight at once. */
  callbackConcurrency?: number;
  /** Callback steps waiting at most; past it new ones are dropped and counted. */
  maxPendingCallbacks?: number;
  /** Messages kept for GET /control/messages (a ring buffer). */
  keepMessages?: number;
  /** Delivery ids remembered for duplicate counting, across channels. */
  maxTrackedIds?: number;
  faults?: FaultsInput;
  log?: Logger;
}

export const simulatorDefaults = {
  host: '127.0.0.1',
  accountSid: 'ACdeadbeefdeadbeefdeadbeefdeadbeef',
  authToken: '0123456789abcdef0123456789abcdef',
  senders: ['+16175550100'],
  smsSegmentsPerSecond: 1,
  callsPerSecond: 1,
  callbackDelayMs: 100,
  callbackConcurrency: 100,
  maxPendingCallbacks: 200_000,
  keepMessages: 200_000,
  maxTrackedIds: 1_000_000,
} as const;

/** A running simulator. */
export interface Simulator {
  urls: SimulatorUrls;
  settings: SimSettings;
  /** The environment variables that point Tocsin at this simulator. */
  environment: Record<string, string>;
  stats(): StatsSnapshot & { callbacks: CallbackCounts };
  /** Change faults or rate limits at run time (as POST /control/faults); throws when invalid. */
  setFaults(input: FaultsInput): void;
  /** Zero counters and forget stored messages (as POST /control/reset). */
  reset(): void;
  messages(query?: Partial<MessageQuery>): StoredMessage[];
  stop(): Promise<void>;
}

function contextFor(options: SimulatorOptions, limits: RateLimits): SimContext {
  const faultProblems = faultsProblems(options.faults ?? {});
  if (faultProblems.length) throw new Error(`Invalid faults:\n  ${faultProblems.join('\n  ')}`);
  const senders = options.senders ?? [...simulatorDefaults.senders];
  if (senders.length === 0) throw new Error('At least one sender is needed.');
  const log = options.log ?? pino({ level: 'silent' });
  return {
    settings: {
      accountSid: options.accountSid ?? simulatorDefaults.accountSid,
      authToken: options.authToken ?? simulatorDefaults.authToken,
      senders: new Set(senders),
      xBearerToken: options.xBearerToken,
      facebookAccessToken: options.facebookAccessToken,
    },
    faults: new FaultBook(options.faults ?? {}, Date.now()),
    limiter: new SenderLimiter(limits),
    channelLimiter: new ChannelLimiter(),
    stats: new SimStats(options.maxTrackedIds ?? simulatorDefaults.maxTrackedIds),
    store: new MessageStore(options.keepMessages ?? simulatorDefaults.keepMessages),
    callbacks: new CallbackDispatcher({
      delayMs: options.callbackDelayMs ?? simulatorDefaults.callbackDelayMs,
      concurrency: options.callbackConcurrency ?? simulatorDefaults.callbackConcurrency,
      maxPending: options.maxPendingCallbacks ?? simulatorDefaults.maxPendingCallbacks,
      timeoutMs: 15_000,
      log,
    }),
    hung: new HungRequests(),
    webhooks: webhookAgent(16, 15_000),
    log,
  };
}

async function buildHttp(sim: SimContext, describe: () => Record<string, unknown>, limits: RateLimits) {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 5 * 1024 * 1024 });
  await app.register(formbody);
  registerTwilioRoutes(app, sim);
  await registerSinkRoutes(app, sim);
  registerSocialRoutes(app, sim);
  registerControlRoutes(app, sim, { describe, initialLimits: limits });
  return app;
}

/** Start the provider simulator: HTTP (Twilio, sinks, X, Facebook, control) and SMTP. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const limits: RateLimits = {
    smsSegmentsPerSecond: options.smsSegmentsPerSecond ?? simulatorDefaults.smsSegmentsPerSecond,
    senderRates: { ...options.senderRates },
    callsPerSecond: options.callsPerSecond ?? simulatorDefaults.callsPerSecond,
  };
  const sim = contextFor(options, limits);
  const host = options.host ?? simulatorDefaults.host;
  const shown: { urls?: SimulatorUrls; environment?: Record<string, string> } = {};
  const app: FastifyInstance = await buildHttp(sim, () => shown, limits);
  let smtp: SimSmtp | undefined;
  try {
    await app.listen({ host, port: options.port ?? 0 });
    smtp = await startSmtp(sim, {
      host,
      port: options.smtpPort ?? 0,
      auth: { required: false, ...options.smtpAuth },
    });
  } catch (error) {
    sim.callbacks.stop();
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urls = urlsFor(host, port, smtp.port);
  const environment = environmentFor(urls, sim.settings, options.smtpAuth, limits);
  Object.assign(shown, { urls, environment });
  return simulatorHandle(sim, app, smtp, urls, environment);
}

function urlsFor(host: string, port: number, smtpPort: number): SimulatorUrls {
  const reachable =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${reachable}:${port}`;
  return {
    base,
    twilio: base,
    smtp: { host: reachable, port: smtpPort },
    webhookSink: `${base}/sink/webhook`,
    capSink: `${base}/sink/cap`,
    x: base,
    facebook: base,
    control: `${base}/control`,
  };
}

function simulatorHandle(
  sim: SimContext,
  app: FastifyInstance,
  smtp: SimSmtp,
  urls: SimulatorUrls,
  environment: Record<string, string>,
): Simulator {
  let stopped: Promise<void> | undefined;
  return {
    urls,
    settings: sim.settings,
    environment,
    stats: () => statsOf(sim),
    setFaults(input) {
      const problems = faultsProblems(input);
      if (problems.length) throw new Error(`Invalid faults:\n  ${problems.join('\n  ')}`);
      applyFaults(sim, input);
    },
    reset: () => resetSim(sim),
    messages: (query = {}) => sim.store.list({ limit: 100, ...query }),
    stop() {
      stopped ??= (async () => {
        sim.callbacks.stop();
        sim.hung.releaseAll();
        await Promise.all([app.close(), smtp.close()]);
        await sim.webhooks.destroy();
      })();
      return stopped;
    },
  };
}
