import { createHash } from 'node:crypto';
import { writeAudit } from '../../audit/write-audit.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Feed } from '../directory.tables.js';
import { fromStatuses } from './sync-run.policy.js';
import { directorySyncJob } from './sync.jobs.js';
import { defaultCampusId } from './sync.queries.js';

export interface RequestSync {
  feed: Feed;
  dryRun: boolean;
  force: boolean;
  content?: Buffer;
  inputName?: string;
  request: RequestMeta;
}

/** Queue a directory sync: the run, its input and its job are written in one transaction. */
export async function requestSync(ctx: AppContext, actor: Actor, input: RequestSync): Promise<string> {
  if (input.feed === 'csv' && (!input.content || input.content.length === 0)) {
    throw new AppError('validation', 'Send the CSV file as the request body (content type text/csv).');
  }
  if (input.feed === 'ldap' && !ctx.config.ldap) {
    throw new AppError(
      'validation',
      'LDAP sync is not configured: set TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN',
    );
  }
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  return ctx.db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('sync_runs')
      .values({
        campus_id: campusId,
        feed: input.feed,
        mode: input.dryRun ? 'dry_run' : 'apply',
        status: 'queued',
        forced: input.force,
        input_name: input.inputName ?? null,
        input_sha256: input.content ? createHash('sha256').update(input.content).digest('hex') : null,
        requested_by: actor.label,
        counts: '{}',
        row_errors: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.content)
      await trx.insertInto('sync_inputs').values({ run_id: run.id, content: input.content }).execute();
    await ctx.queue.enqueue(trx, directorySyncJob, { runId: run.id }, { priority: 5 });
    await writeAudit(trx, {
      actor,
      action: 'directory.sync_request',
      target: { type: 'sync_run', id: run.id },
      campusId,
      metadata: {
        feed: input.feed,
        dryRun: input.dryRun,
        force: input.force,
        bytes: input.content?.length ?? 0,
      },
      request: input.request,
    });
    return run.id;
  });
}

/** Apply a previewed (or refused) run: same input, computed afresh against the directory as it is now. */
export async function applySyncRun(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  force: boolean,
  request: RequestMeta,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('sync_runs')
      .set({ status: 'queued', mode: 'apply', forced: force, finished_at: null, message: null })
      .where('id', '=', runId)
      .where('status', 'in', fromStatuses('queued'))
      .returning('id')
      .executeTakeFirst();
    if (!moved) {
      const run = await trx
        .selectFrom('sync_runs')
        .select('status')
        .where('id', '=', runId)
        .executeTakeFirst();
      if (!run) throw notFound('Sync run');
      throw new AppError(
        'invalid_transition',
        `This run is ${run.status}; only a previewed or refused run can be applied.`,
        { status: run.status },
      );
    }
    await ctx.queue.enqueue(trx, directorySyncJob, { runId }, { priority: 5 });
    await writeAudit(trx, {
      actor,
      action: 'directory.sync_request',
      target: { type: 'sync_run', id: runId },
      metadata: { apply: true, force },
      request,
    });
  });
}

/** Runs newest first, without their diffs. */
export function listSyncRuns(q: Queryable, limit: number) {
  return q
    .selectFrom('sync_runs')
    .select([
      'id',
      'feed',
      'mode',
      'status',
      'forced',
      'input_name',
      'requested_by',
      'counts',
      'message',
      'created_at',
      'started_at',
      'finished_at',
    ])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** One run with its diff and row errors. */
export async function getSyncRun(q: Queryable, id: string) {
  const run = await q.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) throw notFound('Sync run');
  return run;
}
