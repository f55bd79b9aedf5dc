import type { AppContext } from '../context.js';

/**
 * Work a worker process repeats every few seconds: too frequent for cron (whole minutes), too
 * cheap to be a job. Runs never overlap; a failed run is logged and the next one runs on time.
 */
export interface LoopDefinition {
  name: string;
  everyMs: (ctx: AppContext) => number;
  run(ctx: AppContext): Promise<void>;
}

export function defineLoop(definition: LoopDefinition): LoopDefinition {
  return definition;
}

/** Start the loops; the returned function stops them and waits for a run in progress. */
export function startLoops(ctx: AppContext, loops: readonly LoopDefinition[]): () => Promise<void> {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  for (const loop of loops) {
    const tick = () => {
      if (stopped) return;
      const run = loop
        .run(ctx)
        .catch((error: unknown) => ctx.log.warn({ err: error, loop: loop.name }, 'background loop failed'))
        .finally(() => {
          running.delete(run);
          schedule();
        });
      running.add(run);
    };
    const schedule = () => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, loop.everyMs(ctx));
      timer.unref();
      timers.add(timer);
    };
    schedule();
  }
  return async () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled([...running]);
  };
}
