import { Type } from 'typebox';
import { publicRoute } from '../../platform/http/access.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { verifiedTwilioForm } from '../delivery/providers/twilio-webhook.js';
import { handleInboundSms } from './handle-inbound-sms.js';
import { twimlReply } from './twiml.js';

const smsWebhookPath = '/webhooks/twilio/sms';

/**
 * Twilio's inbound-SMS webhook: STOP/START/HELP keywords and "1"/"2" acknowledgements, answered
 * with TwiML. Point the messaging number's "A message comes in" webhook at
 * $TOCSIN_PUBLIC_URL/webhooks/twilio/sms (HTTP POST).
 */
export const smsWebhookRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    smsWebhookPath,
    {
      config: publicRoute,
      preValidation: async (request) => {
        await verifiedTwilioForm(ctx, request, 'inbound SMS');
      },
      schema: {
        tags: ['webhooks'],
        summary: 'Inbound SMS from Twilio (signed with X-Twilio-Signature); answers TwiML',
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object(
          {
            MessageSid: Type.String({ pattern: '^[A-Za-z0-9]{2,64}$' }),
            From: Type.String({ minLength: 1, maxLength: 64 }),
            Body: Type.String({ maxLength: 1600, default: '' }),
          },
          { additionalProperties: Type.Union([Type.String(), Type.Array(Type.String())]) },
        ),
      },
    },
    async (request, reply) => {
      const outcome = await handleInboundSms(ctx, {
        messageSid: request.body.MessageSid,
        from: request.body.From,
        body: request.body.Body,
      });
      return reply.type('text/xml; charset=utf-8').send(twimlReply(outcome.reply));
    },
  );
};
