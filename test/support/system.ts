import { mkdtempSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startSystem, type RunningSystem } from '../../src/app/system.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { Clock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestSystem extends RunningSystem {
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  serve?: boolean;
  work?: boolean;
  clock?: Clock;
  env?: Record<string, string>;
}

/** A Tocsin on its own fresh database: server on a free port and/or workers, logs silenced. */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const database = await createTestDatabase();
  mkdirSync('.test-data', { recursive: true });
  const dataDir = mkdtempSync(path.resolve('.test-data', 'sys-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_LOG_LEVEL: 'silent',
    TOCSIN_DB_POOL_SIZE: '5',
    TOCSIN_WORKER_CONCURRENCY: '1',
    ...options.env,
  });
  const system = await startSystem(config, {
    serve: options.serve ?? true,
    work: options.work ?? false,
    migrate: true,
    allowEmbedded: false,
    port: 0,
    clock: options.clock,
  });
  return {
    ...system,
    database,
    config,
    close: async () => {
      await system.stop();
      await database.drop();
    },
  };
}
