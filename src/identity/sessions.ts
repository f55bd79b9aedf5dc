import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import type { Queryable } from '../platform/db/database.js';
import type { RequestMeta } from '../platform/actor.js';
import type { SessionStage } from './identity.tables.js';
import { findOperatorById, rolesOf } from './operators.queries.js';
import { permissionsForRoles, requiresMfa } from './roles.policy.js';
import { sessionAlive } from './sign-in.policy.js';
import type { SessionPrincipal } from './principal.js';

export const sessionCookie = 'tocsin_session';
// Renewing last_seen_at on every request would write on every read; a minute is precise enough.
const touchEveryMs = 60_000;

/** SHA-256 of a session token: only the hash is stored, so a database leak yields no live sessions. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewSession {
  token: string;
  csrfToken: string;
  stage: SessionStage;
}

/** Start a server-side session for an operator at a sign-in stage. */
export async function createSession(
  ctx: AppContext,
  q: Queryable,
  input: { operatorId: string; stage: SessionStage; authMethod: 'password' | 'sso'; request: RequestMeta },
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.clock.now();
  await q
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      operator_id: input.operatorId,
      stage: input.stage,
      csrf_token: csrfToken,
      auth_method: input.authMethod,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ctx.profile.security.session.absoluteHours * 3_600_000),
      ip: input.request.ip,
      user_agent: input.request.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, stage: input.stage };
}

/** The principal behind a session token, or null when it is unknown, expired or its operator is disabled. */
export async function loadSession(ctx: AppContext, token: string): Promise<SessionPrincipal | null> {
  const idHash = hashToken(token);
  const session = await ctx.db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!session) return null;
  const now = ctx.clock.now();
  const idleMinutes = ctx.profile.security.session.idleMinutes;
  if (!sessionAlive({ lastSeenAt: session.last_seen_at, expiresAt: session.expires_at, idleMinutes }, now)) {
    await ctx.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  const operator = await findOperatorById(ctx.db, session.operator_id);
  if (!operator || operator.disabled_at) return null;
  let lastSeen = session.last_seen_at;
  if (now.getTime() - lastSeen.getTime() > touchEveryMs) {
    await ctx.db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    lastSeen = now;
  }
  const roles = await rolesOf(ctx.db, operator.id);
  return {
    kind: 'session',
    actor: { type: 'operator', id: operator.id, label: operator.username },
    operatorId: operator.id,
    username: operator.username,
    displayName: operator.display_name,
    roles,
    permissions: permissionsForRoles(ctx.profile, roles),
    stage: session.stage,
    sessionIdHash: idHash,
    csrfToken: session.csrf_token,
    mfaEnrolled: operator.totp_enrolled_at !== null,
    mfaRequired: requiresMfa(ctx.profile, roles),
    expiresAt: session.expires_at,
    idleExpiresAt: new Date(
      Math.min(session.expires_at.getTime(), lastSeen.getTime() + idleMinutes * 60_000),
    ),
  };
}

/** Move a session to the next sign-in stage. */
export async function setSessionStage(q: Queryable, idHash: string, stage: SessionStage): Promise<void> {
  await q
    .updateTable('sessions')
    .set({ stage, pending_totp_secret: null })
    .where('id_hash', '=', idHash)
    .execute();
}

/** End one session. */
export async function deleteSession(q: Queryable, idHash: string): Promise<void> {
  await q.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** End every session of an operator except, optionally, one. */
export async function deleteOperatorSessions(
  q: Queryable,
  operatorId: string,
  except?: string,
): Promise<number> {
  let query = q.deleteFrom('sessions').where('operator_id', '=', operatorId);
  if (except) query = query.where('id_hash', '!=', except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
