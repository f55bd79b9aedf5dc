import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Profile } from './profile.js';
import type { JobQueue } from './queue/queue.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';

/** What every use case, route and job may depend on; built once per process. */
export interface AppContext {
  config: Config;
  profile: Profile;
  db: Db;
  queue: JobQueue;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
}
