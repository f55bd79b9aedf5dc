import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { capValues } from './rendering/cap-values.js';
import { listTemplateVersions, loadTemplateVersion, saveTemplateVersion } from './templates.js';

const tags = ['templates'];
const literal = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const LanguageText = Type.Object(
  {
    what: Type.String({ minLength: 1, maxLength: 500 }),
    where: Type.String({ minLength: 1, maxLength: 300 }),
    actions: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const Cap = Type.Object(
  {
    category: literal(capValues.category),
    event: Type.String({ minLength: 1, maxLength: 100 }),
    urgency: literal(capValues.urgency),
    severity: literal(capValues.severity),
    certainty: literal(capValues.certainty),
    responseType: literal(capValues.responseType),
  },
  { additionalProperties: false },
);

/** Template versions: every version kept, a new one saved for all languages at once. */
export const templateRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/templates/:id/versions',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'Every version of a template, newest first',
        params: IdParams,
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => ({ versions: await listTemplateVersions(ctx.db, request.params.id) }),
  );

  app.get(
    '/api/v1/templates/:id/versions/:version',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'One version of a template in every language (what a past delivery was rendered from)',
        params: Type.Object(
          { id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1, maximum: 100_000 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => loadTemplateVersion(ctx.db, request.params.id, request.params.version),
  );

  app.post(
    '/api/v1/templates/:id/versions',
    {
      config: requires('templates.manage'),
      schema: {
        tags,
        summary:
          'Save a new version of a template (earlier versions and the alerts sent with them do not change)',
        params: IdParams,
        body: Type.Object(
          {
            languages: Type.Record(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }), LanguageText, {
              minProperties: 1,
              maxProperties: 10,
            }),
            cap: Type.Optional(Cap),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const version = await saveTemplateVersion(
        ctx,
        principalOf(request).actor,
        request.params.id,
        request.body,
        requestMeta(request),
      );
      return reply.code(201).send(version);
    },
  );
};
