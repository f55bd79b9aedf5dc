import { Type, type Static } from 'typebox';

const Count = Type.Integer({ minimum: 0 });

/** The reply of GET /api/v1/alerts/:id/reach. */
export const AlertReachSchema = Type.Object({
  alertId: Type.String({ format: 'uuid' }),
  message: Type.Object({
    id: Type.String({ format: 'uuid' }),
    sequence: Type.Integer({ minimum: 0 }),
    type: Type.String({ description: 'alert, update or all_clear (or escalation when asked for)' }),
  }),
  totals: Type.Object({
    people: Type.Integer({ minimum: 0, description: 'People the message has at least one address for' }),
    reached: Type.Integer({
      minimum: 0,
      description:
        'A provider took at least one of their deliveries (sent or delivered) and handed it to a network, or they answered',
    }),
    pending: Type.Integer({
      minimum: 0,
      description: 'Not reached yet, but an address is still being tried',
    }),
    inOutbox: Type.Integer({
      minimum: 0,
      description:
        'Not reached: nothing is pending and their finished deliveries are in the outbox (stored, sent to no network)',
    }),
    failed: Type.Integer({ minimum: 0, description: 'Not reached: every address failed or was suppressed' }),
    resendable: Type.Integer({ minimum: 0, description: 'Unreached people a re-send would try again' }),
  }),
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      people: Count,
      reached: Count,
      pending: Count,
      inOutbox: Count,
      failed: Count,
      suppressed: Count,
    }),
  ),
  unreached: Type.Union([
    Type.Object({
      people: Type.Array(
        Type.Object({
          personId: Type.String({ format: 'uuid' }),
          name: Type.Union([Type.String(), Type.Null()]),
          addresses: Type.Array(
            Type.Object({
              channel: Type.String(),
              address: Type.String({ description: 'Masked: +1617•••1212, j•••@mit.edu' }),
              status: Type.String({ description: 'The latest delivery’s status' }),
              state: Type.Union([
                Type.Literal('reached'),
                Type.Literal('pending'),
                Type.Literal('outbox'),
                Type.Literal('failed'),
                Type.Literal('suppressed'),
              ]),
              reason: Type.Union([Type.String(), Type.Null()]),
              willResend: Type.Boolean({ description: 'A re-send tries this address again' }),
            }),
          ),
        }),
      ),
      nextAfter: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description: 'Pass as after for the next page; null at the end',
      }),
    }),
    Type.Null(),
  ]),
});

/** The reply of POST /api/v1/alerts/:id/reach/resend. */
export const ResendResultSchema = Type.Object({
  requestId: Type.String({ format: 'uuid' }),
  messageId: Type.String({ format: 'uuid' }),
  round: Type.Integer({ minimum: 1 }),
  people: Count,
  deliveries: Count,
  repeated: Type.Boolean({ description: 'true: this requestId was seen before; nothing new was sent' }),
});

export type AlertReach = Static<typeof AlertReachSchema>;
export type ResendResult = Static<typeof ResendResultSchema>;
export type UnreachedPerson = NonNullable<AlertReach['unreached']>['people'][number];
