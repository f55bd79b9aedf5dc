import { z } from 'zod';
import { defineJob } from '../platform/queue/job.js';

/** Delete expired sessions, old login attempts and abandoned single sign-on states. */
export const identityPurgeJob = defineJob({
  name: 'identity.purge',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 30, backoff: true },
  expireInSeconds: 300,
  schedule: () => '17 * * * *',
  async handle(ctx) {
    const now = ctx.clock.now();
    const idleCutoff = new Date(now.getTime() - ctx.profile.security.session.idleMinutes * 60_000);
    const sessions = await ctx.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
      .executeTakeFirst();
    const attempts = await ctx.db
      .deleteFrom('login_attempts')
      .where('attempted_at', '<', new Date(now.getTime() - 86_400_000))
      .executeTakeFirst();
    const oidc = await ctx.db
      .deleteFrom('oidc_logins')
      .where('created_at', '<', new Date(now.getTime() - 15 * 60_000))
      .executeTakeFirst();
    ctx.log.info(
      {
        sessions: Number(sessions.numDeletedRows),
        loginAttempts: Number(attempts.numDeletedRows),
        oidcLogins: Number(oidc.numDeletedRows),
      },
      'identity purge',
    );
  },
});
