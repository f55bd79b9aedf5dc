import { z } from 'zod';
import { defineJob } from '../../platform/queue/job.js';
import { escalateAlert } from './escalate-alert.js';

/**
 * N minutes after an alert that asked for acknowledgements was sent: call (voice) everyone in its
 * audience who has not answered. Queued by sendAlert in the send transaction with startAfterSeconds.
 */
export const alertEscalationJob = defineJob({
  name: 'alert.escalate',
  payload: z.object({ alertId: z.uuid() }).strict(),
  retry: { limit: 5, delaySeconds: 5, backoff: true },
  expireInSeconds: 600,
  async handle(ctx, payload) {
    const escalation = await escalateAlert(ctx, payload.alertId);
    ctx.log.info({ alertId: payload.alertId, ...(escalation ?? { skipped: true }) }, 'alert escalation');
  },
});
