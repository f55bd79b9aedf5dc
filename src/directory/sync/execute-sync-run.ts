import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import { FeedFormatError, parseCsvFeed, type FeedContents } from './csv-feed.js';
import { readConfiguredLdap } from './ldap-feed.js';
import { syncDirectory } from './run-directory-sync.js';
import { fromStatuses } from './sync-run.policy.js';

/** Where each feed's full contents come from. LDAP registers its reader here. */
const feedReaders: Partial<
  Record<'csv' | 'ldap', (ctx: AppContext, runId: string) => Promise<FeedContents>>
> = {
  csv: async (ctx, runId) => {
    const input = await ctx.db
      .selectFrom('sync_inputs')
      .select('content')
      .where('run_id', '=', runId)
      .executeTakeFirst();
    if (!input) throw new FeedFormatError('The uploaded file of this run is gone; upload it again.');
    return parseCsvFeed(input.content, ctx.profile);
  },
  ldap: (ctx) => readConfiguredLdap(ctx),
};

// Keep the stored report readable: counts cover every row, the list the first thousand.
const maxStoredErrors = 1000;
// Longer than the job's expiry, so a live run is never taken over.
const staleRunMs = 16 * 60_000;

/**
 * Run a queued sync: claim it (queued → running), read the feed, diff and preview or apply, and
 * record the report. A run that is not queued any more is skipped (a retried job, a second worker).
 */
export async function executeSyncRun(ctx: AppContext, runId: string): Promise<void> {
  const started = ctx.clock.now();
  const claimed = await ctx.db
    .updateTable('sync_runs')
    .set({ status: 'running', started_at: started })
    .where('id', '=', runId)
    // A run left 'running' by a crashed worker changed nothing (apply is one transaction): take it over.
    .where((eb) =>
      eb.or([
        eb('status', 'in', fromStatuses('running')),
        eb.and([
          eb('status', '=', 'running'),
          eb('started_at', '<', new Date(started.getTime() - staleRunMs)),
        ]),
      ]),
    )
    .returning(['id', 'feed', 'mode', 'forced', 'campus_id', 'requested_by'])
    .executeTakeFirst();
  if (!claimed) {
    ctx.log.info({ runId }, 'sync run is not queued; skipped');
    return;
  }
  try {
    const reader = feedReaders[claimed.feed as 'csv' | 'ldap'];
    if (!reader) throw new FeedFormatError(`No reader for the ${claimed.feed} feed in this build.`);
    const contents = await reader(ctx, runId);
    const outcome = await syncDirectory(ctx, contents, {
      campusId: claimed.campus_id,
      feed: claimed.feed,
      dryRun: claimed.mode === 'dry_run',
      force: claimed.forced,
      actor: {
        type: 'system',
        id: null,
        label: `sync run ${runId} for ${claimed.requested_by ?? 'unknown'}`,
      },
    });
    await ctx.db
      .updateTable('sync_runs')
      .set({
        status: outcome.status,
        counts: JSON.stringify({
          ...outcome.counts,
          durationMs: ctx.clock.now().getTime() - started.getTime(),
        }),
        row_errors: JSON.stringify(outcome.errors.slice(0, maxStoredErrors)),
        diff: JSON.stringify(outcome.diff),
        message: outcome.status === 'refused' ? outcome.message : null,
        finished_at: ctx.clock.now(),
      })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute();
    if (outcome.status === 'applied')
      await ctx.db.deleteFrom('sync_inputs').where('run_id', '=', runId).execute();
  } catch (error) {
    if (!(error instanceof FeedFormatError)) throw error;
    await fail(ctx, runId, claimed.campus_id, error.message);
  }
}

async function fail(ctx: AppContext, runId: string, campusId: string, message: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sync_runs')
      .set({ status: 'failed', message, finished_at: ctx.clock.now() })
      .where('id', '=', runId)
      .execute();
    await trx.deleteFrom('sync_inputs').where('run_id', '=', runId).execute();
    await writeAudit(trx, {
      actor: { type: 'system', id: null, label: 'directory sync' },
      action: 'directory.sync_fail',
      target: { type: 'sync_run', id: runId },
      campusId,
      outcome: 'failure',
      metadata: { message },
    });
  });
}
