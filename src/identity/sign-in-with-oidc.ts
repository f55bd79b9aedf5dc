import { writeAudit, type AuditEntry } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { OidcConfig } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import type { Queryable, Trx } from '../platform/db/database.js';
import { AppError, forbidden, invalid } from '../platform/errors.js';
import { authorizationRequest, redeemCode, type OidcIdentity } from './oidc-client.js';
import { replaceRoles, rolesOf } from './operators.queries.js';
import { requiresMfa, rolesForGroups } from './roles.policy.js';
import { createSession, type NewSession } from './sessions.js';
import { nextStage } from './sign-in.policy.js';
import { idpDidMfa, isSafeReturnTo, refusal, refusals, ssoUsername, type Refusal } from './sso.policy.js';

export interface OidcCallback {
  /** The callback's query string exactly as the IdP sent it (code, state, iss, or error). */
  query: URLSearchParams;
  request: RequestMeta;
}

export interface OidcSession extends NewSession {
  operatorId: string;
  returnTo: string;
}

type SsoOperator = { id: string; username: string; totp_enrolled_at: Date | null; disabled_at: Date | null };

const loginTtlMs = 10 * 60_000;
const ssoActor: Actor = { type: 'system', id: null, label: 'single sign-on' };
function requireOidc(ctx: AppContext): OidcConfig {
  if (ctx.config.oidc) return ctx.config.oidc;
  throw new AppError(
    'not_found',
    'Single sign-on is not configured. Sign in with your Tocsin username and password, or ask an administrator to set TOCSIN_OIDC_ISSUER, TOCSIN_OIDC_CLIENT_ID and TOCSIN_OIDC_CLIENT_SECRET.',
  );
}

/** Begin a single sign-on: remember state, nonce and PKCE verifier once, and return the IdP URL to send the person to. */
export async function startOidcSignIn(ctx: AppContext, returnTo: string): Promise<URL> {
  const oidc = requireOidc(ctx);
  if (!isSafeReturnTo(returnTo)) {
    throw invalid('returnTo must be a path on this site starting with a single "/" (for example /alerts).', {
      field: 'returnTo',
    });
  }
  const request = await authorizationRequest(ctx.config, oidc);
  await ctx.db
    .insertInto('oidc_logins')
    .values({
      state: request.state,
      nonce: request.nonce,
      code_verifier: request.codeVerifier,
      return_to: returnTo,
      created_at: ctx.clock.now(),
    })
    .execute();
  return request.url;
}

/**
 * Finish a single sign-on: check the IdP's answer against the one-time state, map groups to roles,
 * find or create the operator, set their roles to exactly the mapped ones and start a session.
 */
export async function signInWithOidc(ctx: AppContext, input: OidcCallback): Promise<OidcSession> {
  const oidc = requireOidc(ctx);
  const login = await consumeLogin(ctx, input.query.get('state'));
  const checks = { state: login.state, nonce: login.nonce, codeVerifier: login.code_verifier };
  const identity = await redeemCode(ctx.config, oidc, input.query, checks);
  const roles = rolesForGroups(ctx.profile, identity.groups);
  const existing = await findSsoOperator(ctx.db, identity);
  const refused = refusal(roles, existing, ctx.profile.sso.createOperatorsOnFirstSignIn);
  if (refused) await deny(ctx, identity, input.request, refused);
  const session = await ctx.db
    .transaction()
    .execute((trx) => startSsoSession(ctx, trx, identity, roles, existing, input.request));
  return { ...session, returnTo: login.return_to };
}

/** Take the one-time login row for a state; refuse unknown, replayed or stale ones. */
async function consumeLogin(ctx: AppContext, state: string | null) {
  const row = state
    ? await ctx.db.deleteFrom('oidc_logins').where('state', '=', state).returningAll().executeTakeFirst()
    : undefined;
  if (!row || ctx.clock.now().getTime() - row.created_at.getTime() > loginTtlMs) {
    throw invalid(
      'This single sign-on attempt is unknown, already used or more than 10 minutes old. Start again from the sign-in page.',
    );
  }
  return row;
}

/** Record a refused single sign-on, then refuse it. */
async function deny(
  ctx: AppContext,
  identity: OidcIdentity,
  request: RequestMeta,
  reason: Refusal,
): Promise<never> {
  const label =
    typeof identity.claims.preferred_username === 'string'
      ? identity.claims.preferred_username
      : identity.subject;
  const metadata = {
    method: 'sso',
    reason,
    issuer: identity.issuer,
    subject: identity.subject,
    groups: identity.groups.slice(0, 50),
  };
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: { type: 'anonymous', id: null, label },
      action: 'auth.sign_in',
      outcome: 'denied',
      metadata,
      request,
    }),
  );
  throw forbidden(refusals[reason], { reason });
}

function findSsoOperator(q: Queryable, identity: OidcIdentity): Promise<SsoOperator | undefined> {
  return q
    .selectFrom('operators')
    .select(['id', 'username', 'totp_enrolled_at', 'disabled_at'])
    .where('sso_issuer', '=', identity.issuer)
    .where('sso_subject', '=', identity.subject)
    .executeTakeFirst();
}

async function startSsoSession(
  ctx: AppContext,
  trx: Trx,
  identity: OidcIdentity,
  roles: string[],
  existing: SsoOperator | undefined,
  request: RequestMeta,
) {
  const audits: AuditEntry[] = [];
  const { operator, created } = existing
    ? { operator: existing, created: false }
    : await createSsoOperator(trx, identity, roles, audits, request);
  const before = await rolesOf(trx, operator.id);
  if ([...before].sort().join() !== [...roles].sort().join()) {
    await replaceRoles(trx, operator.id, roles, 'sso', null);
    if (!created)
      audits.push({
        actor: ssoActor,
        action: 'operator.roles_set',
        target: { type: 'operator', id: operator.id },
        before: { roles: before },
        after: { roles },
        metadata: { source: 'sso' },
        request,
      });
  }
  // A second factor checked by the IdP counts as Tocsin's: nothing to verify, nothing to enrol. The password is never used.
  const idpMfa = idpDidMfa(identity.amr);
  const mfaEnrolled = operator.totp_enrolled_at !== null;
  const mfaRequired = requiresMfa(ctx.profile, roles) && !idpMfa;
  const stage = nextStage({ mustChangePassword: false, mfaEnrolled, mfaRequired, mfaVerified: idpMfa });
  const session = await createSession(ctx, trx, {
    operatorId: operator.id,
    stage,
    authMethod: 'sso',
    request,
  });
  audits.push({
    actor: { type: 'operator', id: operator.id, label: operator.username },
    action: 'auth.sign_in',
    target: { type: 'operator', id: operator.id },
    metadata: { method: 'sso', issuer: identity.issuer, stage, amr: identity.amr },
    request,
  });
  for (const entry of audits) await writeAudit(trx, entry);
  return { ...session, operatorId: operator.id };
}

/** Insert the operator under the first free username; a concurrent first sign-in of the same person wins quietly. */
async function createSsoOperator(
  trx: Trx,
  identity: OidcIdentity,
  roles: string[],
  audits: AuditEntry[],
  request: RequestMeta,
): Promise<{ operator: SsoOperator; created: boolean }> {
  const base = ssoUsername(identity.claims, identity.subject);
  const displayName = (
    (typeof identity.claims.name === 'string' && identity.claims.name.trim()) ||
    base
  ).slice(0, 200);
  const email = typeof identity.claims.email === 'string' ? identity.claims.email : null;
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    const suffix = attempt === 1 ? '' : `-${attempt}`;
    const username = base.slice(0, 100 - suffix.length) + suffix;
    const row = await trx
      .insertInto('operators')
      .values({
        username,
        display_name: displayName,
        email,
        password_hash: null,
        sso_issuer: identity.issuer,
        sso_subject: identity.subject,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'username', 'totp_enrolled_at', 'disabled_at'])
      .executeTakeFirst();
    if (row) {
      audits.push({
        actor: ssoActor,
        action: 'operator.create',
        target: { type: 'operator', id: row.id },
        after: { username, displayName, email, roles, issuer: identity.issuer },
        metadata: { source: 'sso' },
        request,
      });
      return { operator: row, created: true };
    }
    const raced = await findSsoOperator(trx, identity);
    if (raced) return { operator: raced, created: false };
  }
  throw new AppError(
    'conflict',
    `Every username like "${base}" is taken. Ask an administrator to rename one of those operators.`,
  );
}
