import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../platform/config.js';

/** How long a stopping worker process may take to finish its jobs before it is killed. */
const stopGraceMs = 40_000;
/** A worker process that dies is replaced after this long. */
const restartAfterMs = 1_000;

export interface WorkerProcess {
  /** The running worker's pid (it changes when a dead one is replaced). */
  pid(): number | undefined;
  /** Stop it (SIGTERM, SIGKILL after the grace) and do not replace it. */
  stop(): Promise<void>;
}

/**
 * `tocsin start`'s workers, in a process of their own: `tocsin worker` on the same database. The
 * server then has its event loop (and, on a two-core machine, a core) to itself, so the public page
 * stays fast while a large alert is being delivered, and each process's memory is its own. One that
 * dies is replaced after a second. It shares our stdout and stderr, and an IPC channel whose closing
 * tells it that `tocsin start` itself has gone, so it never outlives us.
 */
export function startWorkerProcess(databaseUrl: string): WorkerProcess {
  let child: ChildProcess | null = null;
  let stopping = false;
  const launch = () => {
    child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'tocsin.mjs'), 'worker'], {
      // The same configuration as ours, passed on unread, with the database we are using.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: Ctrl-C reaches only `tocsin start`, which stops it in order.
      detached: true,
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`The worker process exited (${signal ?? code}); starting another in 1 s.`);
      setTimeout(() => {
        if (!stopping) launch();
      }, restartAfterMs).unref();
    });
  };
  launch();
  return {
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a worker `tocsin start` runs: stop when the channel to it closes (it exited or was killed). */
export function stopWithParent(stop: () => void): void {
  if (!process.send) return;
  process.once('disconnect', stop);
}
