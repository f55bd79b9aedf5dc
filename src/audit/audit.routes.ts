import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { actorOf, requestMeta } from '../platform/http/request-meta.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { listAuditRows } from './audit.queries.js';
import { verifyAudit } from './verify-audit.js';
import { writeAudit } from './write-audit.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const AuditRow = Type.Object({
  seq: Type.String(),
  occurredAt: Type.String(),
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  actorLabel: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  outcome: Type.String(),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  metadata: Type.Unknown(),
  hash: Type.String(),
});
const tags = ['audit'];

/** The audit log: reading it (itself audited) and verifying its chain and signatures. */
export const auditRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/audit',
    {
      config: requires('audit.read'),
      schema: {
        tags,
        summary: 'Audit rows, newest first; reading them writes an audit row',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            beforeSeq: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,18}$' })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actorId: Type.Optional(Type.String({ maxLength: 100 })),
            targetType: Type.Optional(Type.String({ maxLength: 100 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            outcome: Type.Optional(
              Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('failure')]),
            ),
            since: Type.Optional(
              Type.String({ format: 'date-time', description: 'Only rows at or after this time' }),
            ),
            until: Type.Optional(
              Type.String({ format: 'date-time', description: 'Only rows before this time' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ rows: Type.Array(AuditRow), nextBeforeSeq: Nullable(Type.String()) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return ctx.db.transaction().execute(async (trx) => {
        const { since, until, ...filter } = request.query;
        const rows = await listAuditRows(trx, {
          ...filter,
          since: since ? new Date(since) : undefined,
          until: until ? new Date(until) : undefined,
        });
        await writeAudit(trx, {
          actor,
          action: 'audit.read',
          metadata: { filter: request.query, rows: rows.length },
          request: requestMeta(request),
        });
        return {
          rows: rows.map((r) => ({
            seq: r.seq,
            occurredAt: r.occurred_at.toISOString(),
            actorType: r.actor_type,
            actorId: r.actor_id,
            actorLabel: r.actor_label,
            action: r.action,
            targetType: r.target_type,
            targetId: r.target_id,
            outcome: r.outcome,
            ip: r.ip,
            requestId: r.request_id,
            before: r.before,
            after: r.after,
            metadata: r.metadata,
            hash: r.hash,
          })),
          nextBeforeSeq: rows.length === request.query.limit ? (rows.at(-1)?.seq ?? null) : null,
        };
      });
    },
  );

  app.get(
    '/api/v1/audit/verification',
    {
      config: requires('audit.verify'),
      schema: {
        tags,
        summary: 'Verify the whole chain and every signed checkpoint against this server’s key',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            rows: Type.Integer(),
            lastSeq: Nullable(Type.String()),
            checkpoints: Type.Integer(),
            lastCheckpointSeq: Nullable(Type.String()),
            lastCheckpointAt: Nullable(Type.String({ description: 'When the last checkpoint was signed' })),
            problems: Type.Array(
              Type.Object({ kind: Type.String(), seq: Type.String(), message: Type.String() }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => {
      const key = loadOrCreateSigningKey(ctx.config.auditKeyFile);
      return verifyAudit(ctx.db, { trustedPublicKeys: [key.publicKey] });
    },
  );
};
