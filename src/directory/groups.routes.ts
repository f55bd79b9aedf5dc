import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams, OkResponse } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { notFound } from '../platform/errors.js';
import { definitionOf, findGroup, listGroups, type GroupRow } from './groups.queries.js';
import { resolveCampus } from './locations.queries.js';
import { addGroupMembers, createGroup, deleteGroup, removeGroupMember, updateGroup } from './manage-group.js';
import { countGroupMembers, decodeCursor, encodeCursor, listPeople } from './people.queries.js';
import { Person, personView } from './people.routes.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });
const Rule = Type.Unknown({
  description:
    'Dynamic groups: {affiliations?, departments?, buildingCodes?, residenceHallCodes?}; every listed dimension must match; a code may name a zone',
});
const Group = Type.Object({
  id: Type.String(),
  campus: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Type.String(),
  rule: Type.Unknown(),
  source: Type.String(),
  memberCount: Type.Optional(Type.Integer()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const MemberParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), personId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const tags = ['directory'];

function groupView(g: GroupRow, memberCount?: number) {
  return {
    id: g.id,
    campus: g.campus,
    name: g.name,
    description: g.description,
    kind: g.kind,
    rule: g.rule,
    source: g.source,
    memberCount,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
  };
}

/** Static and dynamic groups, their members (resolved for dynamic groups) and member counts. */
export const groupRoutes: RoutePlugin = (app, ctx) => {
  const withCount = async (g: GroupRow) => groupView(g, await countGroupMembers(ctx.db, definitionOf(g)));

  app.get(
    '/api/v1/groups',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'List groups in name order',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Enum(['static', 'dynamic'])),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            campus: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            after: Type.Optional(Type.String({ maxLength: 200, description: 'Name of the last group seen' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ groups: Type.Array(Group) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { campus: slug, ...filter } = request.query;
      const campus = await resolveCampus(ctx.db, ctx.profile, slug);
      const rows = await listGroups(ctx.db, { ...filter, campusId: campus.id });
      return { groups: rows.map((g) => groupView(g)) };
    },
  );

  app.get(
    '/api/v1/groups/:id',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'One group with its current member count',
        params: IdParams,
        response: { 200: Group, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const group = await findGroup(ctx.db, request.params.id);
      if (!group) throw notFound('Group');
      return withCount(group);
    },
  );

  app.post(
    '/api/v1/groups',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Create a static group or a dynamic group with a rule',
        body: Type.Object(
          {
            name: Name,
            description: Type.Optional(Nullable(Description)),
            kind: Type.Enum(['static', 'dynamic']),
            rule: Type.Optional(Rule),
            campus: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Group, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const group = await createGroup(ctx, principalOf(request).actor, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(await withCount(group));
    },
  );

  app.patch(
    '/api/v1/groups/:id',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Rename a group, change its description or replace a dynamic group’s rule',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            description: Type.Optional(Nullable(Description)),
            rule: Type.Optional(Rule),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Group, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      withCount(
        await updateGroup(ctx, principalOf(request).actor, request.params.id, {
          ...request.body,
          request: requestMeta(request),
        }),
      ),
  );

  app.delete(
    '/api/v1/groups/:id',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Delete a group (the people stay)',
        params: IdParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await deleteGroup(ctx, principalOf(request).actor, request.params.id, requestMeta(request));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/groups/:id/members',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'The active people in a group now (a dynamic group’s rule is resolved), in name order',
        params: IdParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            members: Type.Array(Person),
            nextCursor: Nullable(Type.String()),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const row = await findGroup(ctx.db, request.params.id);
      if (!row) throw notFound('Group');
      const group = definitionOf(row);
      const { limit, cursor } = request.query;
      const page = await listPeople(
        ctx.db,
        { campusId: group.campusId, group },
        { limit, after: cursor ? decodeCursor(cursor) : undefined },
      );
      return {
        total: await countGroupMembers(ctx.db, group),
        members: page.rows.map(personView),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.post(
    '/api/v1/groups/:id/members',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Add people to a static group',
        params: IdParams,
        body: Type.Object(
          { personIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ added: Type.Integer(), alreadyMembers: Type.Integer() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) =>
      addGroupMembers(
        ctx,
        principalOf(request).actor,
        request.params.id,
        request.body.personIds,
        requestMeta(request),
      ),
  );

  app.delete(
    '/api/v1/groups/:id/members/:personId',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Remove a person from a static group',
        params: MemberParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id, personId } = request.params;
      await removeGroupMember(ctx, principalOf(request).actor, id, personId, requestMeta(request));
      return { ok: true as const };
    },
  );
};
