import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams, OkResponse } from '../platform/http/schemas.js';
import type { App } from '../platform/http/server.js';
import type { AppContext } from '../platform/context.js';
import type { Profile } from '../platform/profile.js';
import { operatorMayOptIn } from './contact-opt-in.policy.js';
import { ownerMayRemove } from './contacts.policy.js';
import { channels } from './directory.tables.js';
import { addContact, optOutContact, removeContact } from './manage-contact.js';
import { optInContact } from './opt-in-contact.js';
import type { ContactRow } from './people.queries.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

/** A contact as a person's detail view shows it. */
export const Contact = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  address: Type.String(),
  /** directory: from the feed, replaced by each sync; self: the person's own; operator: added by an operator, kept by syncs. */
  source: Type.Union([Type.Literal('directory'), Type.Literal('self'), Type.Literal('operator')]),
  primary: Type.Boolean(),
  verifiedAt: Nullable(Type.String()),
  optedOutAt: Nullable(Type.String()),
  optOutReason: Nullable(Type.String()),
  /** Whether the person could remove it themselves under the profile (operators always may). */
  removableByOwner: Type.Boolean(),
  /** Whether an operator may opt it back in (false when not opted out, or opted out by the person: STOP, unsubscribe). */
  operatorMayOptIn: Type.Boolean(),
  createdAt: Type.String(),
});

/** A new contact. */
export const ContactBody = Type.Object(
  {
    channel: Type.Enum(channels),
    address: Type.String({ minLength: 3, maxLength: 320 }),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ContactParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), contactId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const tags = ['directory'];

/** Shape a contact row for the API. */
export function contactView(c: ContactRow, profile: Profile) {
  return {
    id: c.id,
    channel: c.channel,
    address: c.address,
    source: c.source,
    primary: c.is_primary,
    verifiedAt: c.verified_at?.toISOString() ?? null,
    optedOutAt: c.opted_out_at?.toISOString() ?? null,
    optOutReason: c.opt_out_reason,
    removableByOwner: ownerMayRemove(c, profile.directory),
    operatorMayOptIn: operatorMayOptIn(c),
    createdAt: c.created_at.toISOString(),
  };
}

/** A person's contacts: add, remove, opt out and back in (registered by the people routes). */
export function contactRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/v1/people/:id/contacts',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Add a contact (phone numbers are stored in E.164)',
        params: IdParams,
        body: ContactBody,
        response: { 201: Contact, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const contact = await addContact(ctx, principalOf(request).actor, request.params.id, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(contactView(contact, ctx.profile));
    },
  );

  app.delete(
    '/api/v1/people/:id/contacts/:contactId',
    {
      config: requires('directory.manage'),
      schema: {
        tags,
        summary: 'Remove a contact (operators may remove any; see removableByOwner for the owner rule)',
        params: ContactParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, contactId } = request.params;
      await removeContact(ctx, principalOf(request).actor, id, contactId, requestMeta(request));
      return { ok: true as const };
    },
  );

  // Opting out and back in: the same request (a reason, audited) and answer (the contact afterwards).
  const reasonedChanges = [
    {
      action: 'opt-out',
      summary: 'Opt a contact out: alerts skip it, recorded as suppressed with this reason',
      change: optOutContact,
    },
    {
      action: 'opt-in',
      summary:
        'Opt a contact back in, with the reason (audited); refused (409) for opt-outs the person made: STOP, unsubscribe',
      change: optInContact,
    },
  ];
  for (const { action, summary, change } of reasonedChanges)
    app.post(
      `/api/v1/people/:id/contacts/:contactId/${action}`,
      {
        config: requires('directory.manage'),
        schema: {
          tags,
          summary,
          params: ContactParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: Contact, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { id, contactId } = request.params;
        const contact = await change(
          ctx,
          principalOf(request).actor,
          id,
          contactId,
          request.body.reason,
          requestMeta(request),
        );
        return contactView(contact, ctx.profile);
      },
    );
}
