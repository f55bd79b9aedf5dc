import { Type } from 'typebox';
import { writeAudit } from '../audit/write-audit.js';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from './request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { notFound } from '../platform/errors.js';
import { createOperator } from './create-operator.js';
import {
  resetOperatorMfa,
  resetOperatorPassword,
  setOperatorDisabled,
  setOperatorRoles,
} from './manage-operator.js';
import { findOperatorById, listOperators, rolesOf, rolesOfMany } from './operators.queries.js';
import { latestSuccessPerTarget } from '../audit/audit.queries.js';
import { endOperatorSessions } from './end-operator-sessions.js';
import { operatorView } from './operator-view.js';

const Operator = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  mfaEnrolled: Type.Boolean(),
  sso: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});
// The list and the record also say when the operator last signed in (from the audit log).
const ListedOperator = Type.Object({
  ...Operator.properties,
  lastSignInAt: Type.Union([Type.String(), Type.Null()], {
    description: 'The last accepted sign-in (password or SSO)',
  }),
});
const WithSecret = Type.Object({ operator: Operator, oneTimeSecret: Type.String() });
const Roles = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }), { maxItems: 50 });
const tags = ['operators'];

/** Operator accounts: list, create, roles, MFA and password resets, disable. */
export const operatorRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/operators',
    {
      config: requires('operators.read'),
      schema: {
        tags,
        summary: 'List operators in username order',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            after: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ operators: Type.Array(ListedOperator) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const rows = await listOperators(ctx.db, request.query);
      const ids = rows.map((r) => r.id);
      const roles = await rolesOfMany(ctx.db, ids);
      const signIns = await latestSuccessPerTarget(ctx.db, 'auth.sign_in', 'operator', ids);
      return {
        operators: rows.map((r) => ({
          ...operatorView(r, roles.get(r.id) ?? []),
          lastSignInAt: signIns.get(r.id)?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/operators',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: 'Create an operator; the reply carries a one-time secret shown only once',
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
            roles: Roles,
          },
          { additionalProperties: false },
        ),
        response: { 201: WithSecret, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await createOperator(ctx, principalOf(request).actor, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/operators/:id',
    {
      config: requires('operators.read'),
      schema: {
        tags,
        summary: 'One operator',
        params: IdParams,
        response: { 200: ListedOperator, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findOperatorById(ctx.db, request.params.id);
      if (!row) throw notFound('Operator');
      const signIns = await latestSuccessPerTarget(ctx.db, 'auth.sign_in', 'operator', [row.id]);
      return {
        ...operatorView(row, await rolesOf(ctx.db, row.id)),
        lastSignInAt: signIns.get(row.id)?.toISOString() ?? null,
      };
    },
  );

  app.put(
    '/api/v1/operators/:id/roles',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: "Replace an operator's roles (ends their sessions so the change applies at once)",
        params: IdParams,
        body: Type.Object({ roles: Roles }, { additionalProperties: false }),
        response: { 200: Operator, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      setOperatorRoles(
        ctx,
        principalOf(request).actor,
        request.params.id,
        request.body.roles,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/v1/operators/:id/mfa-reset',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: "Remove an operator's MFA; they enrol again at next sign-in",
        params: IdParams,
        response: { 200: Operator, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      resetOperatorMfa(ctx, principalOf(request).actor, request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/operators/:id/password-reset',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: 'Issue a new one-time secret and unlock the account',
        params: IdParams,
        response: { 200: WithSecret, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      resetOperatorPassword(ctx, principalOf(request).actor, request.params.id, requestMeta(request)),
  );

  app.put(
    '/api/v1/operators/:id/disabled',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: 'Disable (ends every session) or re-enable an operator',
        params: IdParams,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Operator, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      setOperatorDisabled(
        ctx,
        principalOf(request).actor,
        request.params.id,
        request.body.disabled,
        requestMeta(request),
      ),
  );

  app.delete(
    '/api/v1/operators/:id/sessions',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: 'End every open session of an operator (they can sign in again); audited with the count',
        params: IdParams,
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      endOperatorSessions(ctx, principalOf(request).actor, request.params.id, requestMeta(request)),
  );

  // Session addresses and browsers are personal data: reading them writes an audit row.
  app.get(
    '/api/v1/operators/:id/sessions',
    {
      config: requires('operators.manage'),
      schema: {
        tags,
        summary: "An operator's open sessions (address and browser), for investigating misuse",
        params: IdParams,
        response: {
          200: Type.Object({
            sessions: Type.Array(
              Type.Object({
                createdAt: Type.String(),
                lastSeenAt: Type.String(),
                stage: Type.String(),
                method: Type.String(),
                ip: Type.Union([Type.String(), Type.Null()]),
                userAgent: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return ctx.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('sessions')
          .selectAll()
          .where('operator_id', '=', request.params.id)
          .orderBy('created_at', 'desc')
          .execute();
        await writeAudit(trx, {
          actor: principal.actor,
          action: 'operator.sessions_read',
          target: { type: 'operator', id: request.params.id },
          metadata: { count: rows.length },
          request: requestMeta(request),
        });
        return {
          sessions: rows.map((s) => ({
            createdAt: s.created_at.toISOString(),
            lastSeenAt: s.last_seen_at.toISOString(),
            stage: s.stage,
            method: s.auth_method,
            ip: s.ip,
            userAgent: s.user_agent,
          })),
        };
      });
    },
  );
};
