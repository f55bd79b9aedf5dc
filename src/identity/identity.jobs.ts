import { z } from 'zod';
import { writeAudit } from '../audit/write-audit.js';
import { systemActor } from '../platform/actor.js';
import { defineJob } from '../platform/queue/job.js';

/**
 * Delete expired sessions, login attempts older than a day and abandoned single sign-on states,
 * in one transaction with a deletion receipt (counts and cut-offs, never content) in the audit log.
 */
export const identityPurgeJob = defineJob({
  name: 'identity.purge',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 30, backoff: true },
  expireInSeconds: 300,
  schedule: () => '17 * * * *',
  async handle(ctx) {
    const now = ctx.clock.now();
    const idleCutoff = new Date(now.getTime() - ctx.profile.security.session.idleMinutes * 60_000);
    const attemptsCutoff = new Date(now.getTime() - 86_400_000);
    const oidcCutoff = new Date(now.getTime() - 15 * 60_000);
    await ctx.db.transaction().execute(async (trx) => {
      const sessions = await trx
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
        .executeTakeFirst();
      const attempts = await trx
        .deleteFrom('login_attempts')
        .where('attempted_at', '<', attemptsCutoff)
        .executeTakeFirst();
      const oidc = await trx
        .deleteFrom('oidc_logins')
        .where('created_at', '<', oidcCutoff)
        .executeTakeFirst();
      const counts = {
        sessions: Number(sessions.numDeletedRows),
        loginAttempts: Number(attempts.numDeletedRows),
        oidcLogins: Number(oidc.numDeletedRows),
      };
      if (counts.sessions + counts.loginAttempts + counts.oidcLogins === 0) return;
      await writeAudit(trx, {
        actor: systemActor,
        action: 'retention.purge',
        target: { type: 'identity', id: null },
        metadata: {
          ...counts,
          idleCutoff: idleCutoff.toISOString(),
          loginAttemptsBefore: attemptsCutoff.toISOString(),
          oidcLoginsBefore: oidcCutoff.toISOString(),
        },
      });
      ctx.log.info(counts, 'identity purge');
    });
  },
});
