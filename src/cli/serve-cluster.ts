import cluster, { type Worker } from 'node:cluster';
import { startSystem } from '../app/system.js';
import { ensureConsoleBuilt } from '../console/console-build.js';
import { createLogger } from '../platform/log.js';
import { configOrExit, fail } from './cli-support.js';

/**
 * `tocsin serve --processes N`: N server processes sharing one port (node:cluster: the primary
 * accepts connections and hands them out in turn), so one machine's cores all serve, as nginx's
 * workers do. Each process is a plain `tocsin serve` (stateless, its own pool and public-site
 * cache). One that dies is replaced after a second; SIGINT or SIGTERM stops them all, each
 * finishing its requests first. Migrations (--migrate) run once, in the primary, before any fork.
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
  // Built once here, before any fork; the processes then find it current.
  await ensureConsoleBuilt(createLogger(config.logLevel));
  let stopping = false;
  let listening = 0;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listening += 1;
      if (listening === processes)
        console.log(`Tocsin server listening; public URL ${config.publicUrl} (${processes} processes)`);
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
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping ${processes} server processes (in-flight requests finish first)…`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        console.log('Stopped.');
        process.exit(0);
      }
    });
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
