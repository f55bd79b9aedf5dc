import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { CallbackDispatcher } from './callbacks.js';
import type { FaultBook } from './faults.js';
import type { HungRequests } from './hung-requests.js';
import type { MessageStore } from './message-store.js';
import type { ChannelLimiter, SenderLimiter } from './rate-limits.js';
import type { SimStats } from './stats.js';

/** Credentials and identities the simulated providers check. */
export interface SimSettings {
  accountSid: string;
  authToken: string;
  /** Numbers (and short codes) this account may send from. */
  senders: ReadonlySet<string>;
  /** Bearer token X requires; any non-empty token when unset. */
  xBearerToken: string | undefined;
  /** Page access token Facebook requires; any non-empty token when unset. */
  facebookAccessToken: string | undefined;
}

/** Everything a running simulator's routes and SMTP handlers share. */
export interface SimContext {
  settings: SimSettings;
  faults: FaultBook;
  limiter: SenderLimiter;
  channelLimiter: ChannelLimiter;
  stats: SimStats;
  store: MessageStore;
  callbacks: CallbackDispatcher;
  hung: HungRequests;
  /** Connections for synchronous webhooks (inbound SMS). */
  webhooks: Agent;
  log: Logger;
}
