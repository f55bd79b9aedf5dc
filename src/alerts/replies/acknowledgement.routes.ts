import type { FastifyReply, FastifyRequest } from 'fastify';
import { brandOf } from '../../platform/brand.js';
import { Type } from 'typebox';
import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { publicRoute, requires } from '../../platform/http/access.js';
import { html } from '../../platform/http/html.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { verifyLinkToken } from '../../platform/link-tokens.js';
import type { MessageContent } from '../alerts.tables.js';
import { acknowledgementPath } from './acknowledgement-links.js';
import { ackForm, ackPage, pageWords } from './acknowledgement-page.js';
import { acknowledgementSummary } from './acknowledgement-summary.js';
import { mayReadNeedHelpList } from '../tracking/tracking.policy.js';
import { acknowledgeDelivery, linkTarget, type LinkRefusal } from './record-acknowledgement.js';
import { replyContact } from './reply-texts.js';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 400 }) }, { additionalProperties: false });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const refusalStatus: Record<LinkRefusal, number> = { not_found: 404, not_requested: 409, closed: 409 };

/** The delivery id a link token was signed for, or null (malformed, forged, not a uuid). */
async function deliveryOf(ctx: AppContext, token: string): Promise<string | null> {
  const id = await verifyLinkToken(ctx.db, 'acknowledge', token);
  return id && uuid.test(id) ? id : null;
}

/** What the alert says now (its latest message), in the delivery's language, for the page. */
async function alertSummary(ctx: AppContext, alertId: string, language: string): Promise<string | null> {
  const last = await ctx.db
    .selectFrom('alert_messages')
    .select('content')
    .where('alert_id', '=', alertId)
    .where('message_type', '!=', 'escalation')
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  const content = last?.content as MessageContent | undefined;
  const text = content?.[language] ?? content?.[ctx.profile.alerts.languages[0]!];
  return text ? `${text.what} ${text.where}`.trim() : null;
}

/**
 * Acknowledgements: the no-JavaScript page an email's link opens (GET shows two buttons and
 * records nothing, since link scanners prefetch; POST records), and the per-alert counts with
 * the need-help list for operators.
 */
export const acknowledgementRoutes: RoutePlugin = (app, ctx) => {
  const program = ctx.profile.institution.alertProgramName;
  const send = (
    reply: FastifyReply,
    language: string,
    status: number,
    title: (w: Words) => string,
    body: (w: Words) => ReturnType<typeof html>,
  ) => {
    const { words, lang } = pageWords(language);
    const emergency = html`<p>${words.emergency(replyContact(ctx.profile))}</p>`;
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(
        ackPage(program, lang, title(words), html`${body(words)}${emergency}`, brandOf(ctx.profile.branding)),
      );
  };
  type Words = ReturnType<typeof pageWords>['words'];
  const refused = (reply: FastifyReply, refusal: LinkRefusal, language = 'en') =>
    send(
      reply,
      language,
      refusalStatus[refusal],
      (w) => w.question,
      (w) =>
        html`<p class="alert">
          ${refusal === 'not_found' ? w.invalid : refusal === 'closed' ? w.closed : w.notRequested}
        </p>`,
    );
  const csrfOf = (request: FastifyRequest) =>
    request.principal?.kind === 'session' ? request.principal.csrfToken : null;

  app.get(
    '/ack/:token',
    {
      config: publicRoute,
      schema: {
        tags: ['acknowledgements'],
        summary: 'The acknowledgement page of an alert email (shows, records nothing)',
        params: TokenParams,
      },
    },
    async (request, reply) => {
      const deliveryId = await deliveryOf(ctx, request.params.token);
      const target = deliveryId ? await linkTarget(ctx.db, deliveryId) : { refusal: 'not_found' as const };
      if (!target.delivery) return refused(reply, target.refusal);
      const d = target.delivery;
      const current = await ctx.db
        .selectFrom('acknowledgements')
        .select('response')
        .where('alert_id', '=', d.alert_id)
        .where('person_id', '=', d.person_id)
        .executeTakeFirst();
      const summary = await alertSummary(ctx, d.alert_id, d.language);
      return send(
        reply,
        d.language,
        200,
        (w) => w.question,
        (w) =>
          ackForm(w, {
            action: acknowledgementPath(request.params.token),
            summary,
            current: current ? (current.response === 'safe' ? w.safe : w.needHelp) : null,
            csrf: csrfOf(request),
          }),
      );
    },
  );

  app.post(
    '/ack/:token',
    {
      config: publicRoute,
      schema: {
        tags: ['acknowledgements'],
        summary:
          'Record "I am safe" or "I need help" from an alert email (a later answer replaces an earlier one)',
        params: TokenParams,
        body: Type.Object(
          {
            response: Type.Union([Type.Literal('safe'), Type.Literal('need_help')]),
            _csrf: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const deliveryId = await deliveryOf(ctx, request.params.token);
      if (!deliveryId) return refused(reply, 'not_found');
      const response = request.body.response;
      const result = await ctx.db
        .transaction()
        .execute((trx) => acknowledgeDelivery(trx, deliveryId, response, requestMeta(request)));
      if ('refusal' in result) return refused(reply, result.refusal);
      const language = (await linkTarget(ctx.db, deliveryId)).delivery?.language ?? 'en';
      return send(
        reply,
        language,
        200,
        (w) => (response === 'safe' ? w.safe : w.needHelp),
        (w) =>
          html`<p class="note" role="status">${response === 'safe' ? w.recordedSafe : w.recordedNeedHelp}</p>
            ${ackForm(w, { action: acknowledgementPath(request.params.token), summary: null, current: null, csrf: csrfOf(request) })}`,
      );
    },
  );

  app.get(
    '/api/v1/alerts/:id/acknowledgements',
    {
      config: requires('alerts.read'),
      schema: {
        tags: ['alerts'],
        summary:
          'How people answered an alert: safe, need help, no answer, and who needs help (only with directory.read; that read is audited)',
        params: IdParams,
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => {
      const alert = await ctx.db
        .selectFrom('alerts')
        .select(['id', 'campus_id'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!alert) throw notFound('Alert');
      // The need-help list names people: the same rule as the tracking API (directory.read).
      if (!mayReadNeedHelpList(principalOf(request))) {
        const counts = await acknowledgementSummary(ctx.db, alert.id, { limit: 1 });
        return { ...counts, needHelpList: null };
      }
      return ctx.db.transaction().execute(async (trx) => {
        const summary = await acknowledgementSummary(trx, alert.id, { limit: request.query.limit });
        await writeAudit(trx, {
          actor: principalOf(request).actor,
          action: 'alert.acknowledgements.read',
          target: { type: 'alert', id: alert.id },
          campusId: alert.campus_id,
          metadata: { needHelp: summary.needHelp, listed: summary.needHelpList.length },
          request: requestMeta(request),
        });
        return summary;
      });
    },
  );
};
