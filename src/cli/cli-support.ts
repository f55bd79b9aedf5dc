import os from 'node:os';
import type { Actor } from '../platform/actor.js';
import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { DataDirLockedError } from '../platform/data-dir-lock.js';
import { isAppError } from '../platform/errors.js';
import { ProfileError } from '../platform/profile.js';
import { startSystem, type RunningSystem } from '../app/system.js';

/**
 * Who a machine-administration command acts as in the audit log: the system, run by this machine's
 * user (the label says so). Only for what the machine's administrator does that no operator can
 * (create the first accounts, recover access, sync the directory, mint a token for an operator);
 * anything done in an operator's name (sending, updating and closing alerts) acts with their token.
 */
export function cliActor(): Actor {
  return {
    type: 'system',
    id: null,
    label: `cli:${os.userInfo().username}@${os.hostname()} (system, server command line)`,
  };
}

/** Print a failure the way a person can act on, and exit non-zero. */
export function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ProfileError || error instanceof DataDirLockedError) {
    console.error(error.message);
  } else if (isAppError(error)) {
    console.error(`${error.message}${error.details ? `\n${JSON.stringify(error.details, null, 2)}` : ''}`);
  } else if (error instanceof Error) {
    console.error(`Error: ${error.message}`);
  } else {
    console.error(`Error: ${String(error)}`);
  }
  process.exit(1);
}

/** Parse the environment or exit listing every bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    fail(error);
  }
}

/** Open the database only (no server, no workers) for an administrative command, then close it. */
export async function withSystem<T>(run: (system: RunningSystem) => Promise<T>): Promise<T> {
  const config = configOrExit();
  let system: RunningSystem | undefined;
  let result: T;
  try {
    system = await startSystem(
      { ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel },
      { serve: false, work: false, migrate: false, allowEmbedded: true, shareRunningEmbedded: true },
    );
    result = await run(system);
  } catch (error) {
    await system?.stop();
    fail(error);
  }
  await system.stop();
  return result;
}
