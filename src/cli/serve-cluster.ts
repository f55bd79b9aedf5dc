import cluster, { type Worker } from 'node:cluster';
import { startSystem } from '../app/system.js';
import { ensureConsoleBuilt } from '../console/console-build.js';
import { createLogger } from '../platform/log.js';
import { configOrExit, fail } from './cli-support.js';

/** Server processes forked by this (primary) process, sharing one port. */
export interface ServerProcesses {
  /** Resolves once every process listens. */
  listening: Promise<void>;
  pids(): number[];
  /** SIGTERM to each (they finish their requests first); resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * Fork `processes` server processes (node:cluster: the primary accepts connections and hands them
 * out in turn), so one machine's cores all serve, as nginx's workers do. Each runs this same command
 * as a cluster worker, with `env` added, and serves only (stateless, its own pool and public-site
 * cache). One that dies is replaced after a second. The console is built here first, once.
 */
export async function forkServers(
  processes: number,
  env: Record<string, string> = {},
): Promise<ServerProcesses> {
  await ensureConsoleBuilt(createLogger(configOrExit().logLevel));
  let stopping = false;
  let listening = 0;
  let allListening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (allListening = resolve));
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    worker.once('listening', () => {
      listening += 1;
      if (listening === processes) allListening();
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`A server process exited (${signal ?? code}); starting another in 1 s.`);
      setTimeout(() => {
        if (!stopping) fork();
      }, 1000).unref();
    });
    return worker;
  };
  for (let i = 0; i < processes; i += 1) fork();
  const workers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  return {
    listening: ready,
    pids: () => workers().flatMap((w) => (w.process.pid ? [w.process.pid] : [])),
    async stop() {
      stopping = true;
      const running = workers();
      await Promise.all(
        running.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/**
 * `tocsin serve --processes N`: N server processes sharing one port (forkServers). SIGINT or
 * SIGTERM stops them all, each finishing its requests first; a second signal kills them.
 * Migrations (--migrate) run once, in the primary, before any fork.
 */
export async function serveCluster(processes: number, migrate: boolean): Promise<void> {
  const config = configOrExit();
  if (migrate) {
    try {
      const system = await startSystem(
        { ...config, logLevel: 'warn' },
        { serve: false, work: false, migrate: true, allowEmbedded: false },
      );
      await system.stop();
    } catch (error) {
      fail(error);
    }
  }
  const servers = await forkServers(processes);
  void servers.listening.then(() =>
    console.log(`Tocsin server listening; public URL ${config.publicUrl} (${processes} processes)`),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      for (const pid of servers.pids()) process.kill(pid, 'SIGKILL');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping ${processes} server processes (in-flight requests finish first)…`);
    void servers.stop().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
