import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { brandOf } from '../../platform/brand.js';
import { writeAudit } from '../../audit/write-audit.js';
import type { SessionPrincipal } from '../../identity/principal.js';
import { landingFor, nextQuery } from '../../identity/sign-in-stages.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, errorStatus, isAppError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { ownOrigins } from '../../identity/access-control.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { breakGlassPage, messageBox } from './break-glass.layout.js';
import { keptFormView, type KeptForm } from './kept-form.view.js';
import { sendableKinds } from '../send-options.js';

/** Send a break-glass page: HTML, never cached (it shows live counts and holds the CSRF token). */
export function sendPage(
  ctx: AppContext,
  reply: FastifyReply,
  frame: { title: string; operator: SessionPrincipal | null },
  body: SafeHtml,
  status = 200,
) {
  const operator = frame.operator
    ? { name: frame.operator.displayName, csrfToken: frame.operator.csrfToken }
    : null;
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      breakGlassPage(
        {
          title: frame.title,
          institution: ctx.profile.institution.shortName,
          operator,
          brand: brandOf(ctx.profile.branding),
        },
        body,
      ),
    );
}

/**
 * The operator these pages may serve: an active session holding a send permission. Otherwise the
 * answer is given here and the result is null: to sign in (a page opened: to /login, or to the
 * sign-in step the session is at, coming back to `path` after), or a page that says what is wrong.
 */
export async function breakGlassGate(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  /** For a form post: the form to give back when the session has ended, so nothing typed is lost. */
  kept?: () => KeptForm,
): Promise<SessionPrincipal | null> {
  const p = request.principal;
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (!p && reading) {
    void reply.redirect(`/login${nextQuery(path)}`, 303);
    return null;
  }
  if (!p) {
    // A form posted from one of our pages after the session ended keeps everything typed. From
    // anywhere else, nothing is echoed: a page elsewhere must not get its words into our form.
    if (kept && provenSameOrigin(ctx, request))
      void sendPage(ctx, reply, signedOut, keptFormView(kept()), 401);
    else void notSignedIn(ctx, reply, path);
    return null;
  }
  if (p.kind !== 'session') {
    void problemPage(
      ctx,
      reply,
      null,
      forbidden(
        'The plain send form is for operators signed in with their account. An integration sends with POST /api/v1/alerts.',
      ),
    );
    return null;
  }
  if (p.stage !== 'active') {
    void reply.redirect(landingFor(p.stage, path), 303);
    return null;
  }
  return (await mayUseBreakGlass(ctx, request, reply, p)) ? p : null;
}

/**
 * Whether this signed-in operator may use the plain pages (a send permission); otherwise the
 * refusal is audited and answered here. Every way into them checks it, a form given back included.
 */
export async function mayUseBreakGlass(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  p: SessionPrincipal,
): Promise<boolean> {
  if (sendableKinds(ctx.profile, p).length > 0) return true;
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: p.actor,
      action: 'access.denied',
      outcome: 'denied',
      metadata: {
        permission: 'alerts.send.*',
        method: request.method,
        route: request.routeOptions.url ?? null,
      },
      request: requestMeta(request),
    }),
  );
  void problemPage(ctx, reply, p, forbidden(noSendPermission(ctx, p)));
  return false;
}

const forbidden = (message: string) => new AppError('forbidden', message);
const signedOut = { title: 'Sign in again: nothing done yet', operator: null };

function noSendPermission(ctx: AppContext, s: SessionPrincipal): string {
  const roles = s.roles.map((r) => ctx.profile.roles[r]?.title ?? r);
  const senders = Object.values(ctx.profile.roles)
    .filter((r) => r.permissions.some((p) => p.startsWith('alerts.send.')))
    .map((r) => r.title);
  return `You are signed in as ${s.displayName}, but your roles (${roles.join(', ') || 'none'}) may not send alerts. Sending needs the role ${senders.join(' or ')}; a Tocsin administrator can give it to you. In an emergency now, call someone who has it.`;
}

function notSignedIn(ctx: AppContext, reply: FastifyReply, path: string) {
  return sendPage(
    ctx,
    reply,
    { title: 'Sign in to send', operator: null },
    html`${messageBox('error', 'Nothing was sent: you are not signed in (your session may have ended).')}
      <p><a href="/login${nextQuery(path)}">Sign in, then open the form again</a></p>`,
    401,
  );
}

/** A page that says what went wrong and the way on: the form again, or signing in. */
function problemPage(ctx: AppContext, reply: FastifyReply, s: SessionPrincipal | null, error: AppError) {
  const title =
    error.code === 'not_found' ? 'Not found' : error.code === 'forbidden' ? 'Not allowed' : 'Not sent';
  return sendPage(
    ctx,
    reply,
    { title, operator: s },
    html`${messageBox('error', error.message)}
      <ul>
        <li><a href="/send">Open the send form again</a></li>
        ${s ? '' : html`<li><a href="/login?next=/send">Sign in</a></li>`}
      </ul>`,
    errorStatus(error.code),
  );
}

/** What fails before a handler runs or outside the use cases, as a page: never the API's JSON. */
export function pageErrors(ctx: AppContext) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const session = activeSession(request);
    const known = asPageError(error);
    if (!known) {
      request.log.error({ err: error }, 'break-glass page failed');
      return problemPage(
        ctx,
        reply,
        session,
        new AppError(
          'internal',
          `Something went wrong on our side and nothing was sent. Try again; if it fails again, quote request id ${request.id} and send with the console or call for help.`,
        ),
      );
    }
    return problemPage(ctx, reply, session, known);
  };
}

/** The session a page may show as signed in: an operator's, past every sign-in step. */
export function activeSession(request: FastifyRequest): SessionPrincipal | null {
  const p = request.principal;
  return p?.kind === 'session' && p.stage === 'active' ? p : null;
}

/** A write refused for its CSRF token alone (it came without one, or with an earlier session's). */
export function isStaleCsrf(error: unknown): boolean {
  return isAppError(error) && error.code === 'forbidden' && error.message.includes('CSRF');
}

/**
 * Whether a form post provably came from one of this server's own pages: its Origin (or, from a
 * browser that sends none, its Referer) is this server's. The origin check has already refused
 * every other origin; this also refuses a post that names none.
 */
export function provenSameOrigin(ctx: AppContext, request: FastifyRequest): boolean {
  const ours = ownOrigins(ctx, request);
  const origin = request.headers.origin;
  if (origin && origin !== 'null') return ours.has(origin);
  try {
    return ours.has(new URL(request.headers.referer ?? '').origin);
  } catch {
    return false;
  }
}

function asPageError(error: FastifyError): AppError | null {
  if (isAppError(error)) {
    if (error.code === 'internal') return null;
    if (isStaleCsrf(error))
      return new AppError(
        'forbidden',
        'Nothing was sent: this form belongs to an earlier sign-in, so it cannot be trusted. Open the form again and fill it in once more.',
      );
    return error;
  }
  if (error.validation)
    return new AppError(
      'validation',
      `Nothing was sent: the form could not be read (${error.message}). Open the form again.`,
    );
  const status = error.statusCode ?? 500;
  if (status === 413)
    return new AppError(
      'payload_too_large',
      'Nothing was sent: the form is too large. Shorten the text and try again.',
    );
  if (status >= 400 && status < 500)
    return new AppError('validation', `Nothing was sent: the form could not be read (${error.message}).`);
  return null;
}
