import { z } from 'zod';
import { noRequest, type Actor } from '../../platform/actor.js';
import { defineJob } from '../../platform/queue/job.js';
import { requestSync } from './sync-runs.js';

const scheduleActor: Actor = { type: 'system', id: null, label: 'schedule (TOCSIN_LDAP_SYNC_CRON)' };

/**
 * On TOCSIN_LDAP_SYNC_CRON, queue an LDAP sync that applies (the deactivation brake still refuses
 * a directory that suddenly lost people). Not scheduled when the cron is unset; skipped while an
 * earlier LDAP run is still queued or running, so a slow directory never piles runs up.
 */
export const ldapSyncScheduleJob = defineJob({
  name: 'directory.ldap_schedule',
  payload: z.object({}).strict(),
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  expireInSeconds: 120,
  schedule: (ctx) => ctx.config.ldap?.syncCron ?? null,
  async handle(ctx) {
    if (!ctx.config.ldap?.syncCron) {
      ctx.log.info('LDAP sync schedule fired but TOCSIN_LDAP_SYNC_CRON is unset; skipped');
      return;
    }
    const pending = await ctx.db
      .selectFrom('sync_runs')
      .select('id')
      .where('feed', '=', 'ldap')
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (pending) {
      ctx.log.info(
        { runId: pending.id },
        'an LDAP sync is already queued or running; scheduled sync skipped',
      );
      return;
    }
    const runId = await requestSync(ctx, scheduleActor, {
      feed: 'ldap',
      dryRun: false,
      force: false,
      request: noRequest,
    });
    ctx.log.info({ runId }, 'scheduled LDAP sync queued');
  },
});
