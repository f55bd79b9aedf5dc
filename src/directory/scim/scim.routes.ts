import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import type { App, RoutePlugin } from '../../platform/http/server.js';
import { installScimBodyParsing } from './scim-body.js';
import { resourceTypesResponse, schemasResponse, serviceProviderConfig } from './scim-discovery.js';
import { installScimErrorHandling } from './scim-errors.js';
import {
  createScimGroup,
  deleteScimGroup,
  getScimGroup,
  listScimGroupsPage,
  patchScimGroup,
  replaceScimGroup,
} from './scim-groups.js';
import { scimMediaType } from './scim-urns.js';
import { deleteScimUser } from './scim-user-deletion.js';
import {
  createScimUser,
  getScimUser,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
  scimBaseUrl,
  type ScimCaller,
} from './scim-users.js';

// Every SCIM endpoint, discovery included, needs a token holding scim.provision (RFC 7644 §4
// allows discovery to require authentication; an IdP has the token anyway).
const config = requires('scim.provision');
const userTags = ['scim users'];
const groupTags = ['scim groups'];
const discoveryTags = ['scim discovery'];

// Bodies are read by the mapping, which names any wrong attribute in its SCIM error; the schema only
// insists on a JSON object, so what Entra ID and Okta send in their own shapes gets through.
const Resource = Type.Object({}, { additionalProperties: true, description: 'A SCIM resource (RFC 7643)' });
const PatchOp = Type.Object(
  {},
  { additionalProperties: true, description: 'A SCIM PatchOp message (RFC 7644 §3.5.2)' },
);
const IdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });
const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'RFC 7644 §3.4.2.2, e.g. userName eq "jdoe@mit.edu"' })),
  startIndex: Type.Optional(Type.Integer({ description: '1-based index of the first result' })),
  count: Type.Optional(Type.Integer({ description: 'Page size, default 100, at most 1000' })),
  attributes: Type.Optional(Type.String()),
  excludedAttributes: Type.Optional(Type.String()),
});
const OneQuery = Type.Object({
  attributes: Type.Optional(Type.String()),
  excludedAttributes: Type.Optional(Type.String()),
});

const callerOf = (request: FastifyRequest): ScimCaller => ({
  actor: principalOf(request).actor,
  request: requestMeta(request),
});

/** SCIM 2.0 provisioning of the community directory at /scim/v2, in its own error format. */
export const scimRoutes: RoutePlugin = async (app, ctx) => {
  await app.register(
    async (scope: App) => {
      installScimBodyParsing(scope);
      installScimErrorHandling(scope);
      scope.addHook('onSend', async (_request, reply, payload) => {
        const type = reply.getHeader('content-type');
        if (typeof type === 'string' && type.startsWith('application/json')) void reply.type(scimMediaType);
        return payload;
      });
      userRoutes(scope, ctx);
      groupRoutes(scope, ctx);
      discoveryRoutes(scope, ctx);
    },
    { prefix: '/scim/v2' },
  );
};

function userRoutes(scope: App, ctx: AppContext): void {
  scope.get(
    '/Users',
    {
      config,
      schema: { tags: userTags, summary: 'List or filter provisioned people', querystring: ListQuery },
    },
    async (request) => listScimUsers(ctx, request.query),
  );
  scope.post(
    '/Users',
    { config, schema: { tags: userTags, summary: 'Provision a person', body: Resource } },
    async (request, reply) => {
      const user = await createScimUser(ctx, callerOf(request), request.body);
      return reply
        .status(201)
        .header('location', `${scimBaseUrl(ctx)}/Users/${String(user.id)}`)
        .send(user);
    },
  );
  scope.get(
    '/Users/:id',
    {
      config,
      schema: { tags: userTags, summary: 'One provisioned person', params: IdParams, querystring: OneQuery },
    },
    async (request) => getScimUser(ctx, request.params.id),
  );
  scope.put(
    '/Users/:id',
    {
      config,
      schema: {
        tags: userTags,
        summary: 'Replace a person’s provisioned data',
        params: IdParams,
        body: Resource,
      },
    },
    async (request) => replaceScimUser(ctx, callerOf(request), request.params.id, request.body),
  );
  scope.patch(
    '/Users/:id',
    {
      config,
      schema: { tags: userTags, summary: 'Change some attributes', params: IdParams, body: PatchOp },
    },
    async (request) => patchScimUser(ctx, callerOf(request), request.params.id, request.body),
  );
  scope.delete(
    '/Users/:id',
    {
      config,
      schema: {
        tags: userTags,
        summary: 'Deprovision: 404 for SCIM from then on; the person stays, inactive',
        params: IdParams,
      },
    },
    async (request, reply) => {
      await deleteScimUser(ctx, callerOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

function groupRoutes(scope: App, ctx: AppContext): void {
  scope.get(
    '/Groups',
    {
      config,
      schema: { tags: groupTags, summary: 'List or filter provisioned groups', querystring: ListQuery },
    },
    async (request) => listScimGroupsPage(ctx, request.query),
  );
  scope.post(
    '/Groups',
    { config, schema: { tags: groupTags, summary: 'Provision a static group', body: Resource } },
    async (request, reply) => {
      const group = await createScimGroup(ctx, callerOf(request), request.body);
      return reply
        .status(201)
        .header('location', `${scimBaseUrl(ctx)}/Groups/${String(group.id)}`)
        .send(group);
    },
  );
  scope.get(
    '/Groups/:id',
    {
      config,
      schema: { tags: groupTags, summary: 'One provisioned group', params: IdParams, querystring: OneQuery },
    },
    async (request) => getScimGroup(ctx, request.params.id, request.query),
  );
  scope.put(
    '/Groups/:id',
    {
      config,
      schema: {
        tags: groupTags,
        summary: 'Replace a group’s name and members',
        params: IdParams,
        body: Resource,
      },
    },
    async (request) => replaceScimGroup(ctx, callerOf(request), request.params.id, request.body),
  );
  scope.patch(
    '/Groups/:id',
    {
      config,
      schema: { tags: groupTags, summary: 'Rename, add or remove members', params: IdParams, body: PatchOp },
    },
    async (request, reply) => {
      await patchScimGroup(ctx, callerOf(request), request.params.id, request.body);
      return reply.status(204).send();
    },
  );
  scope.delete(
    '/Groups/:id',
    { config, schema: { tags: groupTags, summary: 'Delete a group (its people stay)', params: IdParams } },
    async (request, reply) => {
      await deleteScimGroup(ctx, callerOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

function discoveryRoutes(scope: App, ctx: AppContext): void {
  const base = () => scimBaseUrl(ctx);
  const tags = discoveryTags;
  scope.get(
    '/ServiceProviderConfig',
    { config, schema: { tags, summary: 'What this service supports' } },
    async () => serviceProviderConfig(base()),
  );
  scope.get('/ResourceTypes', { config, schema: { tags, summary: 'User and Group' } }, async () =>
    resourceTypesResponse(base()),
  );
  scope.get(
    '/ResourceTypes/:id',
    { config, schema: { tags, summary: 'One resource type', params: IdParams } },
    async (request) => resourceTypesResponse(base(), request.params.id),
  );
  scope.get(
    '/Schemas',
    { config, schema: { tags, summary: 'User, Enterprise User and Group schemas' } },
    async () => schemasResponse(base()),
  );
  scope.get(
    '/Schemas/:id',
    { config, schema: { tags, summary: 'One schema by URN', params: IdParams } },
    async (request) => schemasResponse(base(), request.params.id),
  );
}
