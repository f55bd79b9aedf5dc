import { z } from 'zod';
import { writeAudit } from '../../audit/write-audit.js';
import { systemActor } from '../../platform/actor.js';
import { defineJob } from '../../platform/queue/job.js';
import { unverifiedRetentionHours } from './registration.policy.js';
import { purgeThrottle } from './throttle.js';

export { sendVerificationJob } from './verification-messages.js';

/**
 * Delete what self-registration keeps only for a while: throttle counters whose window ended,
 * registrations nobody verified, addresses of a registration that were never verified, and
 * verification messages kept in the registration outbox. A deletion receipt (counts and the
 * cut-off, never content) goes to the audit log.
 */
export const registrationPurgeJob = defineJob({
  name: 'registration.purge',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 30, backoff: true },
  expireInSeconds: 300,
  schedule: () => '*/10 * * * *',
  async handle(ctx) {
    const now = ctx.clock.now();
    const cutoff = new Date(now.getTime() - unverifiedRetentionHours * 3_600_000);
    await ctx.db.transaction().execute(async (trx) => {
      const throttle = await purgeThrottle(trx, now);
      // Children first, so each count says what went (not what a cascade took along).
      const messages = await trx
        .deleteFrom('registration_outbox')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      const addresses = await trx
        .deleteFrom('registration_contacts')
        .where('status', '!=', 'verified')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      const registrations = await trx
        .deleteFrom('registrations')
        .where('person_id', 'is', null)
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      const counts = {
        throttleCounters: throttle,
        unverifiedRegistrations: Number(registrations.numDeletedRows),
        unverifiedAddresses: Number(addresses.numDeletedRows),
        outboxMessages: Number(messages.numDeletedRows),
      };
      // Throttle counters expire every hour; only the personal data earns a receipt.
      if (counts.unverifiedRegistrations + counts.unverifiedAddresses + counts.outboxMessages === 0) return;
      await writeAudit(trx, {
        actor: systemActor,
        action: 'retention.purge',
        target: { type: 'registration', id: null },
        metadata: { ...counts, before: cutoff.toISOString() },
      });
      ctx.log.info(counts, 'self-registration purge');
    });
  },
});
