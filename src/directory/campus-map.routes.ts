import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { campusMap } from './campus-map.js';
import { CampusMapSchema } from './campus-map.schema.js';
import { resolveCampus } from './locations.queries.js';

/** Whether an If-None-Match header names this ETag (weak or strong, or *). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}

/**
 * The campus map: every building, zone and residence hall with its outline, for the composer's and
 * the dashboard's map. Readable by whoever reads alerts (a viewer sees an alert's audience on it);
 * it names places, never people.
 */
export const campusMapRoutes: RoutePlugin = (app, ctx) => {
  const tiles = ctx.profile.map?.tiles ?? null;
  app.get(
    '/api/v1/campus-map',
    {
      config: requires('alerts.read'),
      schema: {
        tags: ['directory'],
        summary: 'Buildings, zones and residence halls with their outlines (GeoJSON), and the tile source',
        description:
          'Outlines are simplified to about a metre and rounded to six decimals. Answers carry an ETag; ' +
          'send it back as If-None-Match to get 304 while nothing changed.',
        querystring: Type.Object(
          { campus: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: {
          200: CampusMapSchema,
          304: Type.Null({ description: 'Not modified: the ETag sent is current' }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const campus = await resolveCampus(ctx.db, ctx.profile, request.query.campus);
      const { body, etag } = await campusMap(ctx.db, campus, tiles);
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return body;
    },
  );
};
