import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import { authenticateApiToken } from './api-tokens.js';
import { sessionStages, type SessionStage } from './identity.tables.js';
import { isPermission, type Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { hasPermission } from './principal.js';
import { loadSession, sessionCookie } from './sessions.js';
import type { RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { Access } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';

/** One row of the route table: what each route requires (tests walk it to prove 401/403). */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessTable: RouteAccess[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes under these prefixes belong to plugins (API docs) and are public. */
const pluginPublicPrefixes = ['/api/docs'];

/**
 * Authentication, authorization and CSRF for every route. Runs before the body is read, so an
 * anonymous or unauthorized caller gets 401/403 whatever they sent. The server installs it before
 * any route registers (it is handed to platform's buildServer by the composition root).
 */
export function installAccessControl(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('actor', null);
  const table: RouteAccess[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (route.config?.access) {
      checkAccessNames(route.config.access, route.url ?? route.path);
      for (const method of methods)
        table.push({ method, url: route.url ?? route.path, access: route.config.access });
      return;
    }
    const url = route.url ?? route.path;
    if (pluginPublicPrefixes.some((p) => url.startsWith(p))) {
      route.config = { ...route.config, access: { public: true } };
      return;
    }
    throw new Error(
      `Route ${String(route.method)} ${url} does not declare its access (public, signedIn or a permission).`,
    );
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    checkOrigin(ctx, request);
    request.principal = await authenticate(ctx, request);
    request.actor = request.principal?.actor ?? null;
    await enforce(ctx, access, request);
  });
  app.addHook('preValidation', async (request) => {
    const principal = request.principal;
    if (!principal || principal.kind !== 'session' || safeMethods.has(request.method)) return;
    const body = request.body as Record<string, unknown> | undefined;
    const given =
      request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (typeof given !== 'string' || !sameSecret(given, principal.csrfToken)) {
      throw new AppError(
        'forbidden',
        'Missing or wrong CSRF token. Send the X-CSRF-Token header with the csrfToken from GET /api/v1/auth/session.',
      );
    }
    if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
  });
}

/** Refuse to start with a route whose access names a permission or sign-in stage that does not exist. */
function checkAccessNames(access: Access, url: string): void {
  if ('permission' in access && !isPermission(access.permission))
    throw new Error(`Route ${url} requires an unknown permission "${access.permission}".`);
  const unknownStage = 'signedIn' in access && access.stages?.find((s) => !isSessionStage(s));
  if (unknownStage) throw new Error(`Route ${url} names an unknown sign-in stage "${unknownStage}".`);
}

function isSessionStage(stage: string): stage is SessionStage {
  return (sessionStages as readonly string[]).includes(stage);
}

/** Compare two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The origins that are this server's: the public URL's, and the one the request was made to. */
export function ownOrigins(ctx: AppContext, request: FastifyRequest): Set<string> {
  return new Set([new URL(ctx.config.publicUrl).origin, `${request.protocol}://${request.host}`]);
}

/** A browser sends Origin on cross-site writes; refuse writes from any origin but ours. */
function checkOrigin(ctx: AppContext, request: FastifyRequest): void {
  if (safeMethods.has(request.method) || request.headers.authorization) return;
  const origin = request.headers.origin;
  if (!origin || (origin === 'null' && !request.headers.cookie)) return;
  if (!ownOrigins(ctx, request).has(origin)) {
    throw new AppError(
      'forbidden',
      `Requests from ${origin} are not allowed. Use Tocsin from ${ctx.config.publicUrl}.`,
    );
  }
}

/**
 * The caller of a request, from its bearer token or session cookie; null when it has neither, or
 * a token that is malformed, unknown, expired or revoked. Long-lived responses (SSE) call it again.
 */
export async function principalFromRequest(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? authenticateApiToken(ctx, match[1]!) : null;
  }
  const token = request.cookies[sessionCookie];
  return token ? loadSession(ctx, token) : null;
}

async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Principal | null> {
  const principal = await principalFromRequest(ctx, request);
  if (!principal && request.headers.authorization !== undefined)
    throw new AppError('unauthenticated', 'The API token is malformed, unknown, expired or revoked.');
  return principal;
}

async function enforce(ctx: AppContext, access: Access, request: FastifyRequest): Promise<void> {
  if ('public' in access) return;
  const principal = request.principal;
  if (!principal)
    throw new AppError('unauthenticated', 'Sign in first: this needs an operator session or an API token.');
  if ('signedIn' in access) {
    if (principal.kind !== 'session')
      throw new AppError('forbidden', 'This needs an operator session, not an API token.');
    const stages = access.stages ?? ['active'];
    if (!stages.includes(principal.stage)) throw stageError(principal.stage);
    return;
  }
  if (principal.kind === 'session' && principal.stage !== 'active') throw stageError(principal.stage);
  await requirePermission(
    ctx,
    principal,
    access.permission,
    { method: request.method, route: request.routeOptions.url ?? null },
    requestMeta(request),
  );
}

/**
 * Refuse a caller without a permission the way every route does: an `access.denied` audit row
 * saying where, and the same message. The command line calls it too (`tocsin alert send` with a
 * token), so a token is refused there exactly as over HTTP.
 */
export async function requirePermission(
  ctx: AppContext,
  principal: Principal,
  permission: Permission,
  where: Record<string, string | null>,
  request: RequestMeta,
): Promise<void> {
  if (hasPermission(principal, permission)) return;
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: principal.actor,
      action: 'access.denied',
      outcome: 'denied',
      metadata: { permission, ...where },
      request,
    }),
  );
  throw new AppError('forbidden', `You do not have permission to do this (needs ${permission}).`, {
    permission,
  });
}

function stageError(stage: string): AppError {
  const next: Record<string, string> = {
    password_change: 'choose a new password',
    mfa_enrol: 'enrol multi-factor authentication',
    mfa_verify: 'enter your authentication code',
    active: 'nothing: you are already signed in',
  };
  const code = stage === 'active' ? 'conflict' : 'mfa_required';
  return new AppError(code, `Finish signing in first: ${next[stage] ?? stage}.`, { stage });
}
