import { z } from 'zod';
import { defineJob } from '../../platform/queue/job.js';
import { executeSyncRun } from './execute-sync-run.js';

/** Run one directory sync (CSV or LDAP), preview or apply, by its run id. */
export const directorySyncJob = defineJob({
  name: 'directory.sync',
  payload: z.object({ runId: z.uuid() }).strict(),
  retry: { limit: 2, delaySeconds: 30, backoff: true },
  expireInSeconds: 900,
  async handle(ctx, payload) {
    await executeSyncRun(ctx, payload.runId);
  },
});
