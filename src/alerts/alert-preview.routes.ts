import { requires } from '../platform/http/access.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { AllClearPreview, AllClearPreviewBody } from './all-clear-preview.schema.js';
import { previewAlert } from './preview-alert.js';
import { previewAllClear } from './preview-all-clear.js';
import { AlertPreview, PreviewBody, SendOptions } from './send-flow.schema.js';
import { sendOptionsFor } from './send-options.js';

const tags = ['alerts'];

/** Previews of an alert on every channel, and the options the send form offers the caller. */
export const alertPreviewRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    '/api/v1/alerts/preview',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Every channel’s rendering of an alert before it is sent, per language, with the emergency-notification timing',
        description:
          'The same fields as POST /api/v1/alerts (audience optional); rendered with the code the delivery uses. Nothing is stored.',
        body: PreviewBody,
        response: { 200: AlertPreview, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => previewAlert(ctx, request.body),
  );

  app.post(
    '/api/v1/alerts/:id/all-clear/preview',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'The all-clear of an alert as each channel would send it now, per language',
        description:
          'The same words as POST /api/v1/alerts/:id/updates with type all_clear; needs the send permission of the alert’s kind. Nothing is stored.',
        params: IdParams,
        body: AllClearPreviewBody,
        response: { 200: AllClearPreview, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => previewAllClear(ctx, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/alerts/send-options',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'What the caller may send: alert kinds, hazards, channels, languages, delay reasons, the Clery threshold',
        response: { 200: SendOptions, ...errorResponses(401, 403) },
      },
    },
    async (request) => sendOptionsFor(ctx.profile, principalOf(request)),
  );
};
