import { publicRoute } from '../../../platform/http/access.js';
import { invalid } from '../../../platform/errors.js';
import type { RoutePlugin } from '../../../platform/http/server.js';
import { receiptWriterFor } from '../receipts.js';
import { twilioReceiptVerdict } from './twilio-status.policy.js';
import { formValue, verifiedTwilioForm } from './twilio-webhook.js';

const twilioStatusPath = '/webhooks/twilio/status';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Twilio's status callbacks for the messages and calls Tocsin created (the StatusCallback URL
 * names the delivery: `?delivery=<id>`). Verified by X-Twilio-Signature against every configured
 * Twilio account; the status moves only along the allowed transitions, so late and duplicate
 * receipts change nothing.
 */
export const twilioStatusRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    twilioStatusPath,
    {
      // Thousands a second during an alert: their request lines are debug, failures still warn.
      config: { ...publicRoute, requestLog: 'debug' },
      schema: {
        tags: ['webhooks'],
        summary: 'Twilio status callback for an SMS or a call (signed with X-Twilio-Signature)',
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request) => {
      const params = await verifiedTwilioForm(ctx, request, 'a status callback');
      const deliveryId = (request.query as Record<string, unknown>).delivery;
      if (typeof deliveryId !== 'string' || !uuid.test(deliveryId))
        throw invalid('The callback URL must name a delivery: ?delivery=<delivery id>.');
      const field = (name: string) => formValue(params, name);
      const verdict = twilioReceiptVerdict({
        MessageStatus: field('MessageStatus'),
        SmsStatus: field('SmsStatus'),
        CallStatus: field('CallStatus'),
        ErrorCode: field('ErrorCode'),
      });
      if (!verdict) return { result: 'ignored' as const };
      const result = await receiptWriterFor(ctx.db).apply({
        deliveryId,
        ...verdict,
        providerMessageId: field('MessageSid') ?? field('CallSid') ?? null,
        retryAfterSeconds: ctx.profile.alerts.delivery.retryMaxSeconds,
      });
      request.log.debug({ deliveryId, status: verdict.status, result }, 'twilio receipt');
      return { result };
    },
  );
};
