import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { scimBaseUrl } from '../scim/scim-users.js';
import { requiredCsvFields } from './csv-feed.js';
import { applySyncRun, getSyncRun, listSyncRuns, requestSync } from './sync-runs.js';

const tags = ['directory sync'];
const Options = Type.Object(
  {
    dryRun: Type.Boolean({
      default: true,
      description:
        'Preview the diff only (default). Apply with dryRun=false, or apply the previewed run later.',
    }),
    force: Type.Boolean({
      default: false,
      description: 'Apply even when the file would deactivate more than the profile allows',
    }),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'File name, for the run report' })),
  },
  { additionalProperties: false },
);
const Queued = Type.Object({ id: Type.String(), status: Type.Literal('queued') });
const Json = Type.Unknown();
const RunSummary = Type.Object({
  id: Type.String(),
  feed: Type.String(),
  mode: Type.String(),
  status: Type.String(),
  forced: Type.Boolean(),
  inputName: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.Union([Type.String(), Type.Null()]),
  counts: Json,
  message: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
type RunRow = Awaited<ReturnType<typeof listSyncRuns>>[number];
const summary = (r: RunRow) => ({
  id: r.id,
  feed: r.feed,
  mode: r.mode,
  status: r.status,
  forced: r.forced,
  inputName: r.input_name,
  requestedBy: r.requested_by,
  counts: r.counts,
  message: r.message,
  createdAt: r.created_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** Directory syncs: upload a full CSV export, preview its diff, apply it; run LDAP; read run reports. */
export const syncRoutes: RoutePlugin = async (app, ctx) => {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // A full registrar export of 100,000 people is about 15 MB.
    scope.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: 64 * 1_048_576 },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/directory/syncs/csv',
      {
        config: requires('directory.sync'),
        bodyLimit: 64 * 1_048_576,
        schema: {
          tags,
          summary:
            'Upload a full CSV export (text/csv body); the sync runs as a job and its report shows the diff',
          querystring: Options,
          response: { 202: Queued, ...errorResponses(400, 401, 403, 413, 415) },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : undefined;
        const id = await requestSync(ctx, principalOf(request).actor, {
          feed: 'csv',
          dryRun: request.query.dryRun,
          force: request.query.force,
          content: body,
          inputName: request.query.name,
          request: requestMeta(request),
        });
        return reply.status(202).send({ id, status: 'queued' as const });
      },
    );
  });

  app.post(
    '/api/v1/directory/syncs/ldap',
    {
      config: requires('directory.sync'),
      schema: {
        tags,
        summary: 'Sync from the configured LDAP directory now',
        querystring: Options,
        response: { 202: Queued, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const id = await requestSync(ctx, principalOf(request).actor, {
        feed: 'ldap',
        dryRun: request.query.dryRun,
        force: request.query.force,
        request: requestMeta(request),
      });
      return reply.status(202).send({ id, status: 'queued' as const });
    },
  );

  app.get(
    '/api/v1/directory/feeds',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary:
          'The feeds a sync can read: the CSV columns the profile expects, whether LDAP is configured, the SCIM URL, the brake',
        response: {
          200: Type.Object({
            csv: Type.Object({
              columns: Type.Array(
                Type.Object({ field: Type.String(), column: Type.String(), required: Type.Boolean() }),
              ),
            }),
            ldap: Type.Object({ configured: Type.Boolean() }),
            scim: Type.Object({ url: Type.String() }),
            maxDeactivationPercent: Type.Number(),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({
      csv: {
        columns: Object.entries(ctx.profile.directory.csvColumns).map(([field, column]) => ({
          field,
          column,
          required: (requiredCsvFields as string[]).includes(field),
        })),
      },
      ldap: { configured: ctx.config.ldap !== undefined },
      scim: { url: scimBaseUrl(ctx) },
      maxDeactivationPercent: ctx.profile.directory.syncMaxDeactivationPercent,
    }),
  );

  app.get(
    '/api/v1/directory/syncs',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'Sync runs, newest first',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ runs: Type.Array(RunSummary) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ runs: (await listSyncRuns(ctx.db, request.query.limit)).map(summary) }),
  );

  app.get(
    '/api/v1/directory/syncs/:id',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'One run: counts, the diff (first 500 of each kind) and the row errors',
        params: IdParams,
        response: {
          200: Type.Intersect([RunSummary, Type.Object({ diff: Json, rowErrors: Json })]),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const run = await getSyncRun(ctx.db, request.params.id);
      return { ...summary(run), diff: run.diff, rowErrors: run.row_errors };
    },
  );

  app.post(
    '/api/v1/directory/syncs/:id/apply',
    {
      config: requires('directory.sync'),
      schema: {
        tags,
        summary:
          'Apply a previewed (or refused) run; the diff is computed again against the directory as it is now',
        params: IdParams,
        body: Type.Optional(
          Type.Object({ force: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: { 202: Queued, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await applySyncRun(
        ctx,
        principalOf(request).actor,
        request.params.id,
        request.body?.force ?? false,
        requestMeta(request),
      );
      return reply.status(202).send({ id: request.params.id, status: 'queued' as const });
    },
  );
};
