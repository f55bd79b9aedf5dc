import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { Contact, ContactBody, contactRoutes, contactView } from './contacts.routes.js';
import { affiliations } from './directory.tables.js';
import { findGroupDefinition } from './groups.queries.js';
import { resolveCampus } from './locations.queries.js';
import { createPerson, readPerson, setPersonActive, updatePerson } from './manage-person.js';
import { decodeCursor, encodeCursor, listPeople, type PersonRow } from './people.queries.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const Code = Type.String({ minLength: 1, maxLength: 40 });
const Affiliation = Type.Enum(affiliations);
const CampusSlug = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 100 });

/** A person as lists and detail views show them. */
export const Person = Type.Object({
  id: Type.String(),
  institutionalId: Nullable(Type.String()),
  affiliation: Type.String(),
  status: Type.String(),
  givenName: Nullable(Type.String()),
  familyName: Nullable(Type.String()),
  displayName: Type.String(),
  department: Nullable(Type.String()),
  homeBuilding: Nullable(Type.String()),
  residenceHall: Nullable(Type.String()),
  preferredLanguage: Type.String(),
  source: Type.String(),
  deactivatedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const fields = {
  displayName: Type.Optional(Text(300)),
  givenName: Type.Optional(Nullable(Text(100))),
  familyName: Type.Optional(Nullable(Text(100))),
  institutionalId: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z0-9._@-]{1,100}$' }))),
  department: Type.Optional(Nullable(Text(200))),
  homeBuilding: Type.Optional(Nullable(Code)),
  residenceHall: Type.Optional(Nullable(Code)),
  preferredLanguage: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
};
const PersonWithContacts = Type.Object({ person: Person, contacts: Type.Array(Contact) });
const tags = ['directory'];

/** Shape a person row for the API. */
export function personView(p: PersonRow) {
  return {
    id: p.id,
    institutionalId: p.institutional_id,
    affiliation: p.affiliation,
    status: p.status,
    givenName: p.given_name,
    familyName: p.family_name,
    displayName: p.display_name,
    department: p.department,
    homeBuilding: p.home_building,
    residenceHall: p.residence_hall,
    preferredLanguage: p.preferred_language,
    source: p.source,
    deactivatedAt: p.deactivated_at?.toISOString() ?? null,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

/** People and their contacts: search, detail (audited), manual changes, deactivation, opt-out. */
export const peopleRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/people',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'Search and list people in name order, a page at a time',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'Part of a name, an institutional id or an email address',
              }),
            ),
            affiliation: Type.Optional(Affiliation),
            status: Type.Optional(Type.Enum(['active', 'inactive'])),
            department: Type.Optional(Text(200)),
            building: Type.Optional(Code),
            residenceHall: Type.Optional(Code),
            group: Type.Optional(Type.String({ format: 'uuid' })),
            campus: Type.Optional(CampusSlug),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ people: Type.Array(Person), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const {
        q,
        limit,
        cursor,
        campus: slug,
        group: groupId,
        building,
        residenceHall,
        ...filters
      } = request.query;
      const group = groupId ? await findGroupDefinition(ctx.db, groupId) : undefined;
      // A group belongs to one campus: without an explicit campus, list the group's.
      const campusId = group && !slug ? group.campusId : (await resolveCampus(ctx.db, ctx.profile, slug)).id;
      const page = await listPeople(
        ctx.db,
        { ...filters, q, campusId, group, buildingCode: building, residenceHallCode: residenceHall },
        { limit, after: cursor ? decodeCursor(cursor) : undefined },
      );
      return { people: page.rows.map(personView), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/api/v1/people/:id',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'One person with their contacts; reading contacts writes an audit row',
        params: IdParams,
        response: { 200: PersonWithContacts, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { person, contacts } = await readPerson(
        ctx,
        principalOf(request).actor,
        request.params.id,
        requestMeta(request),
      );
      return { person: personView(person), contacts: contacts.map((c) => contactView(c, ctx.profile)) };
    },
  );

  app.post(
    '/api/v1/people',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Add a person by hand (source "manual"), optionally with contacts',
        body: Type.Object(
          {
            ...fields,
            affiliation: Affiliation,
            campus: Type.Optional(CampusSlug),
            contacts: Type.Optional(Type.Array(ContactBody, { maxItems: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Person, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const person = await createPerson(ctx, principalOf(request).actor, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(personView(person));
    },
  );

  app.patch(
    '/api/v1/people/:id',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: "Change a person's fields (null clears an optional one)",
        params: IdParams,
        body: Type.Object(
          { ...fields, affiliation: Type.Optional(Affiliation) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Person, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      personView(
        await updatePerson(ctx, principalOf(request).actor, request.params.id, {
          ...request.body,
          request: requestMeta(request),
        }),
      ),
  );

  for (const [verb, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/api/v1/people/:id/${verb}`,
      {
        config: requires('directory.manage'),
        schema: {
          tags,
          summary: active ? 'Reactivate an inactive person' : 'Deactivate a person: they receive no alerts',
          params: IdParams,
          response: { 200: Person, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        personView(
          await setPersonActive(
            ctx,
            principalOf(request).actor,
            request.params.id,
            active,
            requestMeta(request),
          ),
        ),
    );
  }

  contactRoutes(app, ctx);
};
