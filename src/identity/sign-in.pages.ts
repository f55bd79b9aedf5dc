import { randomBytes } from 'node:crypto';
import { brandOf } from '../platform/brand.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TProperties } from 'typebox';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../platform/context.js';
import { AppError, isAppError } from '../platform/errors.js';
import { publicRoute } from '../platform/http/access.js';
import { sameSecret } from './access-control.js';
import { html, raw } from '../platform/http/html.js';
import { requestMeta } from '../platform/http/request-meta.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { changePassword } from './change-password.js';
import type { SessionStage } from './identity.tables.js';
import { confirmMfaEnrolment, startMfaEnrolment, verifyMfa } from './mfa.js';
import type { SessionPrincipal } from './principal.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { deleteSession } from './sessions.js';
import { signInWithPassword } from './sign-in-with-password.js';
import { breakGlassLink, errorBox, nextInput, page } from './sign-in.layout.js';
import { landingFor, nextQuery, safeNext } from './sign-in-stages.js';

const loginCsrfCookie = 'tocsin_login_csrf';
// `next`: where to go once signed in (checked by safeNext; an unsafe one is ignored, not an error).
const formFields = {
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  next: Type.Optional(Type.String()),
};
const Form = <T extends TProperties>(fields: T) =>
  Type.Object({ ...fields, ...formFields }, { additionalProperties: false });
const NextQuery = Type.Object({ next: Type.Optional(Type.String()) });
const Code = Type.String({ maxLength: 20 });

/** Sign-in as plain HTML forms that work without JavaScript in any browser. */
export const signInPages: RoutePlugin = (app, ctx) => {
  const send = (reply: FastifyReply, title: string, body: ReturnType<typeof html>, status = 200) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page(title, ctx.profile.institution.shortName, body, brandOf(ctx.profile.branding)));
  const session = (request: FastifyRequest): SessionPrincipal | null =>
    request.principal?.kind === 'session' ? request.principal : null;
  /** The session when it is at `stage`; otherwise a redirect to its own stage (or /login), keeping next. */
  const atStage = (
    request: FastifyRequest,
    reply: FastifyReply,
    stage: SessionStage,
    next: string | null,
  ) => {
    const s = session(request);
    if (s?.stage === stage) return s;
    void reply.redirect(s ? landingFor(s.stage, next) : `/login${nextQuery(next)}`, 303);
    return null;
  };

  const loginForm = (reply: FastifyReply, next: string | null, error: string | null, status = 200) => {
    const token = randomBytes(24).toString('base64url');
    void reply.setCookie(loginCsrfCookie, token, {
      httpOnly: true,
      secure: ctx.config.cookieSecure,
      sameSite: 'strict',
      path: '/login',
    });
    return send(
      reply,
      'Operator sign-in',
      html`${errorBox(error)}
        <form method="post" action="/login">
          <input type="hidden" name="_csrf" value="${token}" />
          ${nextInput(next)}
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" required autofocus />
          <label for="password">Password or one-time secret</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Sign in</button>
        </form>
        ${ctx.config.oidc ? html`<p><a href="/api/v1/auth/oidc/start${ssoReturn(next)}">Sign in with ${ctx.profile.institution.shortName} single sign-on</a></p>` : ''}
        ${breakGlassLink}`,
      status,
    );
  };

  app.get(
    '/login',
    { config: publicRoute, schema: { hide: true, querystring: NextQuery } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const s = session(request);
      if (s) return reply.redirect(landingFor(s.stage, next), 303);
      return loginForm(reply, next, null);
    },
  );

  app.post(
    '/login',
    {
      config: publicRoute,
      schema: {
        hide: true,
        body: Form({ username: Type.String({ maxLength: 100 }), password: Type.String({ maxLength: 256 }) }),
      },
    },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      const cookie = request.cookies[loginCsrfCookie];
      if (!cookie || !request.body._csrf || !sameSecret(cookie, request.body._csrf)) {
        return loginForm(reply, next, 'The sign-in form expired. Please try again.', 403);
      }
      try {
        const created = await signInWithPassword(ctx, {
          username: request.body.username,
          password: request.body.password,
          request: requestMeta(request),
        });
        setSessionCookie(ctx, reply, created.token);
        void reply.clearCookie(loginCsrfCookie, { path: '/login' });
        return reply.redirect(landingFor(created.stage, next), 303);
      } catch (error) {
        if (!isAppError(error)) throw error;
        return loginForm(reply, next, error.message, error.code === 'rate_limited' ? 429 : 401);
      }
    },
  );

  const passwordForm = (
    reply: FastifyReply,
    s: SessionPrincipal,
    next: string | null,
    error: string | null,
    status = 200,
  ) =>
    send(
      reply,
      'Choose your password',
      html`<p>
          You signed in with a one-time secret. Choose a password of at least
          ${ctx.profile.security.passwordMinLength} characters.
        </p>
        ${errorBox(error)}
        <form method="post" action="/login/password">
          <input type="hidden" name="_csrf" value="${s.csrfToken}" />
          ${nextInput(next)}
          <input type="text" name="username" value="${s.username}" autocomplete="username" hidden />
          <label for="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autocomplete="new-password"
            minlength="${ctx.profile.security.passwordMinLength}"
            required
            autofocus
          />
          <label for="confirmPassword">New password again</label>
          <input
            id="confirmPassword"
            name="confirmPassword"
            type="password"
            autocomplete="new-password"
            required
          />
          <button type="submit">Save password</button>
        </form>`,
      status,
    );

  app.get(
    '/login/password',
    { config: publicRoute, schema: { hide: true, querystring: NextQuery } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const s = atStage(request, reply, 'password_change', next);
      return s ? passwordForm(reply, s, next, null) : reply;
    },
  );

  app.post(
    '/login/password',
    {
      config: publicRoute,
      schema: {
        hide: true,
        body: Form({
          newPassword: Type.String({ maxLength: 256 }),
          confirmPassword: Type.String({ maxLength: 256 }),
          username: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      },
    },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      const s = atStage(request, reply, 'password_change', next);
      if (!s) return reply;
      if (request.body.newPassword !== request.body.confirmPassword)
        return passwordForm(reply, s, next, 'The two passwords differ. Type the same password twice.', 400);
      return withErrors(
        reply,
        (m) => passwordForm(reply, s, next, m, 400),
        async () => {
          const { stage } = await changePassword(ctx, s, {
            newPassword: request.body.newPassword,
            request: requestMeta(request),
          });
          return reply.redirect(landingFor(stage as SessionStage, next), 303);
        },
      );
    },
  );

  const enrolForm = async (
    reply: FastifyReply,
    s: SessionPrincipal,
    next: string | null,
    error: string | null,
    status = 200,
  ) => {
    const enrolment = await startMfaEnrolment(ctx, s);
    return send(
      reply,
      'Set up two-factor sign-in',
      html`<p>
          Your role sends alerts or holds sensitive records, so it needs a second factor. Scan this code with
          an authenticator app (for example FreeOTP, Google Authenticator or 1Password), then enter the
          6-digit code it shows.
        </p>
        <figure>
          ${raw(enrolment.qrSvg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" '))}
        </figure>
        <p>Or type this key: <code>${enrolment.secret}</code></p>
        ${errorBox(error)}
        <form method="post" action="/login/mfa/enrol">
          <input type="hidden" name="_csrf" value="${s.csrfToken}" />
          ${nextInput(next)}
          <label for="code">6-digit code</label>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            required
            autofocus
          />
          <button type="submit">Confirm</button>
        </form>`,
      status,
    );
  };

  app.get(
    '/login/mfa/enrol',
    { config: publicRoute, schema: { hide: true, querystring: NextQuery } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const s = atStage(request, reply, 'mfa_enrol', next);
      return s ? enrolForm(reply, s, next, null) : reply;
    },
  );

  app.post(
    '/login/mfa/enrol',
    { config: publicRoute, schema: { hide: true, body: Form({ code: Code }) } },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      const s = atStage(request, reply, 'mfa_enrol', next);
      if (!s) return reply;
      return withErrors(
        reply,
        (m) => enrolForm(reply, s, next, m, 400),
        async () => {
          const { stage } = await confirmMfaEnrolment(ctx, s, request.body.code.trim(), requestMeta(request));
          return reply.redirect(landingFor(stage as SessionStage, next), 303);
        },
      );
    },
  );

  const verifyForm = (
    reply: FastifyReply,
    s: SessionPrincipal,
    next: string | null,
    error: string | null,
    status = 200,
  ) =>
    send(
      reply,
      'Enter your code',
      html`${errorBox(error)}
        <form method="post" action="/login/mfa">
          <input type="hidden" name="_csrf" value="${s.csrfToken}" />
          ${nextInput(next)}
          <label for="code">6-digit code from your authenticator app</label>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            required
            autofocus
          />
          <button type="submit">Continue</button>
        </form>`,
      status,
    );

  app.get(
    '/login/mfa',
    { config: publicRoute, schema: { hide: true, querystring: NextQuery } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const s = atStage(request, reply, 'mfa_verify', next);
      return s ? verifyForm(reply, s, next, null) : reply;
    },
  );

  app.post(
    '/login/mfa',
    { config: publicRoute, schema: { hide: true, body: Form({ code: Code }) } },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      const s = atStage(request, reply, 'mfa_verify', next);
      if (!s) return reply;
      return withErrors(
        reply,
        (m) => verifyForm(reply, s, next, m, 400),
        async () => {
          const { stage } = await verifyMfa(ctx, s, request.body.code.trim(), requestMeta(request));
          return reply.redirect(landingFor(stage as SessionStage, next), 303);
        },
      );
    },
  );

  app.get('/account', { config: publicRoute, schema: { hide: true } }, async (request, reply) => {
    const s = atStage(request, reply, 'active', null);
    if (!s) return reply;
    const roles = s.roles.map((r) => ctx.profile.roles[r]?.title ?? r);
    return send(
      reply,
      `Signed in as ${s.displayName}`,
      html`<div class="note">You are signed in${s.mfaEnrolled ? ' with two-factor authentication' : ''}.</div>
        <p>Roles: ${roles.length ? roles.join(', ') : 'none'}</p>
        <ul>
          <li><a href="/console/">Operator console</a></li>
          ${[...s.permissions].some((p) => p.startsWith('alerts.send.')) ? html`<li><a href="/send">Plain send form</a></li>` : ''}
          <li><a href="/api/docs">API documentation</a></li>
        </ul>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value="${s.csrfToken}" /><button type="submit">Sign out</button>
        </form>`,
    );
  });

  app.post(
    '/logout',
    { config: publicRoute, schema: { hide: true, body: Form({}) } },
    async (request, reply) => {
      const s = session(request);
      if (s) await endSession(ctx, s, request);
      clearSessionCookie(ctx, reply);
      return reply.redirect('/login', 303);
    },
  );
};

async function endSession(ctx: AppContext, s: SessionPrincipal, request: FastifyRequest): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSession(trx, s.sessionIdHash);
    await writeAudit(trx, {
      actor: s.actor,
      action: 'auth.sign_out',
      target: { type: 'operator', id: s.operatorId },
      request: requestMeta(request),
    });
  });
}

/** Single sign-on comes back to `next` too (its own check allows paths of up to 500 characters). */
function ssoReturn(next: string | null): string {
  return next && next.length <= 500 ? `?returnTo=${encodeURIComponent(next)}` : '';
}

/** Run a form action; show a domain error's message on the form instead of failing the page. */
async function withErrors<T>(
  reply: FastifyReply,
  show: (message: string) => T | Promise<T>,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isAppError(error) || error.code === 'internal') throw error;
    return show(error instanceof AppError ? error.message : String(error));
  }
}
