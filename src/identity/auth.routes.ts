import { Type } from 'typebox';
import { writeAudit } from '../audit/write-audit.js';
import { publicRoute, signedIn } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { sessionOf } from './request-principal.js';
import { errorResponses, IdParams, OkResponse } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { changePassword } from './change-password.js';
import { confirmMfaEnrolment, startMfaEnrolment, verifyMfa } from './mfa.js';
import { markNoticeRead, unreadNotices } from './operator-notices.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { deleteSession } from './sessions.js';
import { signInWithPassword } from './sign-in-with-password.js';

const Stage = Type.Union([
  Type.Literal('password_change'),
  Type.Literal('mfa_enrol'),
  Type.Literal('mfa_verify'),
  Type.Literal('active'),
]);
const StageReply = Type.Object({ stage: Stage, csrfToken: Type.String() });
const Code = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code from the authenticator app',
});
const Notice = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('sending_role_granted'), Type.Literal('token_created_for_you')]),
  message: Type.String(),
  aboutOperatorId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const anyStage = signedIn(['password_change', 'mfa_enrol', 'mfa_verify', 'active']);
const tags = ['auth'];

/** Sign-in, the sign-in stages (password change, MFA) and sign-out, as JSON. */
export const authRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Sign in with username and password; the reply says which sign-in step comes next',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StageReply, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const session = await signInWithPassword(ctx, { ...request.body, request: requestMeta(request) });
      setSessionCookie(ctx, reply, session.token);
      return { stage: session.stage, csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: anyStage,
      schema: {
        tags,
        summary: 'The signed-in operator, their roles and permissions, and the CSRF token for changes',
        response: {
          200: Type.Object({
            operator: Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }),
            roles: Type.Array(Type.String()),
            permissions: Type.Array(Type.String()),
            stage: Stage,
            mfaEnrolled: Type.Boolean(),
            mfaRequired: Type.Boolean(),
            csrfToken: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            idleExpiresAt: Type.String({ format: 'date-time' }),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const s = sessionOf(request);
      return {
        operator: { id: s.operatorId, username: s.username, displayName: s.displayName },
        roles: s.roles,
        permissions: [...s.permissions].sort(),
        stage: s.stage,
        mfaEnrolled: s.mfaEnrolled,
        mfaRequired: s.mfaRequired,
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt.toISOString(),
        idleExpiresAt: s.idleExpiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: signedIn(['password_change', 'active']),
      schema: {
        tags,
        summary: 'Choose a new password (the current one is not asked right after a one-time secret)',
        body: Type.Object(
          {
            currentPassword: Type.Optional(Type.String({ maxLength: 256 })),
            newPassword: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StageReply, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const s = sessionOf(request);
      const { stage } = await changePassword(ctx, s, { ...request.body, request: requestMeta(request) });
      return { stage: stage as typeof s.stage, csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/mfa/enrolment',
    {
      config: signedIn(['mfa_enrol', 'active']),
      schema: {
        tags,
        summary: 'Start TOTP enrolment: a secret and QR code for an authenticator app',
        response: {
          200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrSvg: Type.String() }),
          ...errorResponses(401, 403, 409),
        },
      },
    },
    async (request) => startMfaEnrolment(ctx, sessionOf(request)),
  );

  app.post(
    '/api/v1/auth/mfa/enrolment/confirm',
    {
      config: signedIn(['mfa_enrol', 'active']),
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment with a current code',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: StageReply, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const s = sessionOf(request);
      const { stage } = await confirmMfaEnrolment(ctx, s, request.body.code, requestMeta(request));
      return { stage: stage as typeof s.stage, csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/mfa/verify',
    {
      config: signedIn(['mfa_verify']),
      schema: {
        tags,
        summary: 'Enter the TOTP code to finish signing in',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: StageReply, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const s = sessionOf(request);
      const { stage } = await verifyMfa(ctx, s, request.body.code, requestMeta(request));
      return { stage: stage as typeof s.stage, csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: anyStage,
      schema: {
        tags,
        summary: 'Sign out: end this session',
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const s = sessionOf(request);
      await ctx.db.transaction().execute(async (trx) => {
        await deleteSession(trx, s.sessionIdHash);
        await writeAudit(trx, {
          actor: s.actor,
          action: 'auth.sign_out',
          target: { type: 'operator', id: s.operatorId },
          request: requestMeta(request),
        });
      });
      clearSessionCookie(ctx, reply);
      return { ok: true as const };
    },
  );

  // Notices are the signed-in operator's own (src/identity/operator-notices.ts): the console shows
  // them after sign-in until each is marked read.
  app.get(
    '/api/v1/auth/notices',
    {
      config: signedIn(),
      schema: {
        tags,
        summary:
          'Your unread notices, newest first: e.g. another administrator gave someone a role that sends alerts',
        response: { 200: Type.Object({ notices: Type.Array(Notice) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ notices: await unreadNotices(ctx.db, sessionOf(request).operatorId) }),
  );

  app.post(
    '/api/v1/auth/notices/:id/read',
    {
      config: signedIn(),
      schema: {
        tags,
        summary: 'Mark one of your notices read (audited)',
        params: IdParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const s = sessionOf(request);
      await markNoticeRead(ctx, { ...s.actor, id: s.operatorId }, request.params.id, requestMeta(request));
      return { ok: true as const };
    },
  );
};
