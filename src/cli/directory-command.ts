import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { noRequest } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { executeSyncRun } from '../directory/sync/execute-sync-run.js';
import { getSyncRun, requestSync } from '../directory/sync/sync-runs.js';
import type { Feed } from '../directory/directory.tables.js';
import { cliActor, withSystem } from './cli-support.js';

interface SyncOptions {
  apply?: boolean;
  force?: boolean;
}

/** Queue a sync, run it here at once (a worker that claims it first runs it instead), and print its report. */
async function runSyncNow(
  ctx: AppContext,
  feed: Feed,
  opts: SyncOptions,
  content?: Buffer,
  inputName?: string,
): Promise<boolean> {
  const id = await requestSync(ctx, cliActor(), {
    feed,
    dryRun: !opts.apply,
    force: Boolean(opts.force),
    content,
    inputName,
    request: noRequest,
  });
  await executeSyncRun(ctx, id);
  let run = await getSyncRun(ctx.db, id);
  for (let waited = 0; ['queued', 'running'].includes(run.status) && waited < 600; waited += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    run = await getSyncRun(ctx.db, id);
  }
  printRun(run);
  return !['failed', 'refused'].includes(run.status);
}

function printRun(run: Awaited<ReturnType<typeof getSyncRun>>): void {
  const c = run.counts as Record<string, number>;
  console.log(
    `Sync run ${run.id}: ${run.status}${run.mode === 'dry_run' && run.status === 'previewed' ? ' (preview: nothing changed)' : ''}`,
  );
  console.log(
    `  rows ${c.rows ?? 0}, adds ${c.adds ?? 0}, changes ${c.changes ?? 0} (reactivations ${c.reactivations ?? 0}), deactivations ${c.deactivations ?? 0}, unchanged ${c.unchanged ?? 0}, row errors ${c.errors ?? 0}${c.durationMs !== undefined ? `, ${c.durationMs} ms` : ''}`,
  );
  if (run.message) console.log(`  ${run.message}`);
  const diff = run.diff as {
    adds?: { institutionalId: string }[];
    changes?: { institutionalId: string; fields: string[] }[];
    deactivations?: { institutionalId: string }[];
  } | null;
  for (const a of diff?.adds?.slice(0, 10) ?? []) console.log(`  + ${a.institutionalId}`);
  for (const ch of diff?.changes?.slice(0, 10) ?? [])
    console.log(`  ~ ${ch.institutionalId}: ${ch.fields.join(', ')}`);
  for (const d of diff?.deactivations?.slice(0, 10) ?? []) console.log(`  - ${d.institutionalId}`);
  for (const e of (
    run.row_errors as { line: number; institutionalId: string | null; reason: string }[]
  ).slice(0, 20)) {
    console.log(`  ! ${e.line ? `line ${e.line}` : (e.institutionalId ?? '')}: ${e.reason}`);
  }
  if (run.mode === 'dry_run' && run.status === 'previewed')
    console.log('  Apply with --apply, or POST /api/v1/directory/syncs/<id>/apply.');
}

/** directory sync-csv | sync-ldap. */
export function registerDirectoryCommands(program: Command): void {
  const directory = program
    .command('directory')
    .description('The community directory: syncs from CSV exports and LDAP');

  directory
    .command('sync-csv <file>')
    .description(
      'Sync a full CSV export (columns from directory.csvColumns in the profile); previews the diff unless --apply',
    )
    .option('--apply', 'apply the changes (default: preview only)')
    .option('--force', 'apply even past the deactivation brake')
    .action(async (file: string, opts: SyncOptions) => {
      const content = readFileSync(file);
      const ok = await withSystem(({ ctx }) => runSyncNow(ctx, 'csv', opts, content, path.basename(file)));
      process.exit(ok ? 0 : 1);
    });

  directory
    .command('sync-ldap')
    .description(
      'Sync from the LDAP directory in TOCSIN_LDAP_* (attributes from directory.ldapAttributes in the profile); previews the diff unless --apply',
    )
    .option('--apply', 'apply the changes (default: preview only)')
    .option('--force', 'apply even past the deactivation brake')
    .action(async (opts: SyncOptions) => {
      const ok = await withSystem(({ ctx }) => runSyncNow(ctx, 'ldap', opts));
      process.exit(ok ? 0 : 1);
    });
}
