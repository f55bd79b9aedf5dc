import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams, OkResponse } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { notFound } from '../platform/errors.js';
import { cleryClasses, locationKinds } from './directory.tables.js';
import {
  cleryPeriodOn,
  findLocation,
  listCleryPeriods,
  listLocations,
  resolveCampus,
  type LocationRow,
} from './locations.queries.js';
import {
  addCleryPeriod,
  createLocation,
  deleteLocation,
  periodView,
  setCleryPeriodEnd,
  todayIn,
  updateLocation,
} from './manage-location.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9. -]{0,39}$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const DateText = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Outline = Type.Unknown({ description: 'GeoJSON Polygon, MultiPolygon or Feature of one; up to 1 MB' });
const Period = Type.Object({
  id: Type.String(),
  cleryClass: Type.String(),
  effectiveFrom: Type.String(),
  effectiveTo: Nullable(Type.String()),
});
const Location = Type.Object({
  id: Type.String(),
  campus: Type.String(),
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.String()),
  parentCode: Nullable(Type.String()),
  address: Nullable(Type.String()),
  cleryClass: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const LocationDetail = Type.Object({
  ...Location.properties,
  outline: Type.Unknown(),
  cleryClasses: Type.Array(Period),
});
const fields = {
  code: Code,
  name: Name,
  parentCode: Type.Optional(Nullable(Code)),
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  outline: Type.Optional(Outline),
};
const PeriodParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), periodId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const tags = ['directory'];

function locationView(l: Omit<LocationRow, 'outline'>) {
  return {
    id: l.id,
    campus: l.campus,
    kind: l.kind,
    code: l.code,
    name: l.name,
    parentId: l.parent_id,
    parentCode: l.parent_code,
    address: l.address,
    cleryClass: l.clery_class,
    createdAt: l.created_at.toISOString(),
    updatedAt: l.updated_at.toISOString(),
  };
}

/** Buildings, zones and residence halls, their GeoJSON outlines and Clery class periods. */
export const locationRoutes: RoutePlugin = (app, ctx) => {
  const today = () => todayIn(ctx.profile.institution.timezone, ctx.clock.now());
  const detail = async (row: LocationRow) => ({
    ...locationView(row),
    outline: row.outline,
    cleryClasses: (await listCleryPeriods(ctx.db, row.id)).map(periodView),
  });

  app.get(
    '/api/v1/locations',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'List locations in code order, with their Clery class today',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Enum(locationKinds)),
            parent: Type.Optional(
              Type.String({ format: 'uuid', description: 'Only locations in this zone' }),
            ),
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, description: 'A code or part of a name' }),
            ),
            campus: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            after: Type.Optional(
              Type.String({ maxLength: 40, description: 'Code of the last location seen' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ locations: Type.Array(Location) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { campus: slug, parent, ...filter } = request.query;
      const campus = await resolveCampus(ctx.db, ctx.profile, slug);
      const rows = await listLocations(ctx.db, {
        ...filter,
        parentId: parent,
        campusId: campus.id,
        date: today(),
      });
      return { locations: rows.map(locationView) };
    },
  );

  app.get(
    '/api/v1/locations/:id',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'One location with its outline and every Clery class period',
        params: IdParams,
        response: { 200: LocationDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findLocation(ctx.db, request.params.id, today());
      if (!row) throw notFound('Location');
      return detail(row);
    },
  );

  app.post(
    '/api/v1/locations',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Create a building, zone or residence hall (code unique per campus, ignoring case)',
        body: Type.Object(
          {
            kind: Type.Enum(locationKinds),
            ...fields,
            campus: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: LocationDetail, ...errorResponses(400, 401, 403, 409, 413) },
      },
    },
    async (request, reply) => {
      const row = await createLocation(ctx, principalOf(request).actor, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(await detail(row));
    },
  );

  app.patch(
    '/api/v1/locations/:id',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Change a location’s code, name, zone, address or outline (null clears)',
        params: IdParams,
        body: Type.Object(
          { ...fields, code: Type.Optional(Code), name: Type.Optional(Name) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: LocationDetail, ...errorResponses(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request) =>
      detail(
        await updateLocation(ctx, principalOf(request).actor, request.params.id, {
          ...request.body,
          request: requestMeta(request),
        }),
      ),
  );

  app.delete(
    '/api/v1/locations/:id',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Delete a location no person or location points at',
        params: IdParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await deleteLocation(ctx, principalOf(request).actor, request.params.id, requestMeta(request));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/locations/:id/clery-classes',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Record the Clery class from a date (to a date, exclusive); overlapping periods are refused',
        params: IdParams,
        body: Type.Object(
          {
            cleryClass: Type.Enum(cleryClasses),
            effectiveFrom: DateText,
            effectiveTo: Type.Optional(Nullable(DateText)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Period, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const period = await addCleryPeriod(ctx, principalOf(request).actor, request.params.id, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(period);
    },
  );

  app.patch(
    '/api/v1/locations/:id/clery-classes/:periodId',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'End a Clery class period on a date (or reopen it with null)',
        params: PeriodParams,
        body: Type.Object({ effectiveTo: Nullable(DateText) }, { additionalProperties: false }),
        response: { 200: Period, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id, periodId } = request.params;
      return setCleryPeriodEnd(
        ctx,
        principalOf(request).actor,
        id,
        periodId,
        request.body.effectiveTo,
        requestMeta(request),
      );
    },
  );

  app.get(
    '/api/v1/locations/:id/clery-class',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'The Clery class of a location on a date (default: today in the institution’s time zone)',
        params: IdParams,
        querystring: Type.Object({ date: Type.Optional(DateText) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            date: Type.String(),
            cleryClass: Nullable(Type.String()),
            period: Type.Union([Period, Type.Null()]),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const date = request.query.date ?? today();
      const row = await findLocation(ctx.db, request.params.id, date);
      if (!row) throw notFound('Location');
      const period = await cleryPeriodOn(ctx.db, row.id, date);
      return { date, cleryClass: period?.clery_class ?? null, period: period ? periodView(period) : null };
    },
  );
};
