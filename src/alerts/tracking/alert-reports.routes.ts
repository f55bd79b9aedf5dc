import { PassThrough } from 'node:stream';
import { Type } from 'typebox';
import { writeAudit } from '../../audit/write-audit.js';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { afterActionSummary } from './after-action.js';
import { afterActionPage } from './after-action.page.js';
import { renderPdf } from './after-action.pdf.js';
import { deliveryReportHeader, writeDeliveryReport } from './delivery-report.js';

const tags = ['alerts'];
// A file, not JSON: described for OpenAPI only (a TypeBox string would type the reply as a string).
const binary = { type: 'string', format: 'binary' };

async function requireAlert(ctx: AppContext, alertId: string): Promise<void> {
  const found = await ctx.db.selectFrom('alerts').select('id').where('id', '=', alertId).executeTakeFirst();
  if (!found) throw notFound('Alert');
}

async function afterActionHtml(ctx: AppContext, alertId: string): Promise<string> {
  const summary = await afterActionSummary(ctx.db, alertId, ctx.profile.alerts.channels);
  return afterActionPage(summary, {
    institution: ctx.profile.institution.name,
    timeZone: ctx.profile.institution.timezone,
    generatedAt: ctx.clock.now(),
  });
}

/** An alert's delivery report (CSV) and after-action summary (HTML and PDF). */
export const alertReportRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/alerts/:id/deliveries.csv',
    {
      config: requires('directory.read'),
      schema: {
        tags,
        summary: 'Every delivery of an alert as CSV (UTF-8, RFC 4180), streamed',
        description: [
          'One line per delivery: id, message sequence and type, re-send round, person id, channel, masked',
          'address (+1617•••1212, j•••@mit.edu), status, created/sent/delivered/updated times (ISO 8601, UTC),',
          'attempts, provider and reason. A sensitive read: needs directory.read and writes an audit row.',
        ].join(' '),
        params: IdParams,
        response: {
          200: { description: 'text/csv', content: { 'text/csv': { schema: binary } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const alertId = request.params.id;
      await requireAlert(ctx, alertId);
      await ctx.db.transaction().execute((trx) =>
        writeAudit(trx, {
          actor: principalOf(request).actor,
          action: 'alert.deliveries.export',
          target: { type: 'alert', id: alertId },
          metadata: { format: 'csv' },
          request: requestMeta(request),
        }),
      );
      const body = new PassThrough();
      body.write(deliveryReportHeader);
      writeDeliveryReport(ctx.db, alertId, body).then(
        () => body.end(),
        (error: unknown) => {
          ctx.log.error({ err: error, alertId }, 'delivery report failed part-way');
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="alert-${alertId}-deliveries.csv"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/api/v1/alerts/:id/after-action',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'The after-action summary of an alert as a page (HTML); …/after-action.pdf prints it',
        params: IdParams,
        response: {
          200: { description: 'text/html', content: { 'text/html': { schema: Type.String() } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await afterActionHtml(ctx, request.params.id)),
  );

  app.get(
    '/api/v1/alerts/:id/after-action.pdf',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'The after-action summary of an alert as a one-page PDF (printed by Chromium)',
        description: '503 when Chromium is not installed (TOCSIN_CHROMIUM_PATH); the HTML page still works.',
        params: IdParams,
        response: {
          200: { description: 'application/pdf', content: { 'application/pdf': { schema: binary } } },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const pdf = await renderPdf(await afterActionHtml(ctx, request.params.id), ctx.config.chromiumPath);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="alert-${request.params.id}-after-action.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
};
