import { z } from 'zod';
import { defineJob } from '../platform/queue/job.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { loadOrCreateSigningKey } from './signing-key.js';

/** Sign the head of the audit chain on a schedule, so a rewritten or truncated log shows. */
export const auditCheckpointJob = defineJob({
  name: 'audit.checkpoint',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  expireInSeconds: 120,
  schedule: (ctx) => ctx.config.auditCheckpointCron,
  async handle(ctx) {
    const checkpoint = await signCheckpoint(ctx.db, loadOrCreateSigningKey(ctx.config.auditKeyFile));
    if (checkpoint) ctx.log.info({ seq: checkpoint.seq }, 'audit checkpoint signed');
  },
});
