import { Type, type Static } from 'typebox';
import { deliveryStatuses } from '../alerts.tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const StatusCounts = Type.Object(
  Object.fromEntries(deliveryStatuses.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
    (typeof deliveryStatuses)[number],
    ReturnType<typeof Type.Integer>
  >,
  { description: 'Deliveries in each status' },
);

const progress = {
  counts: StatusCounts,
  total: Type.Integer(),
  done: Type.Integer({
    description:
      'Deliveries out of Tocsin’s hands: sent, delivered, failed for good, suppressed or cancelled',
  }),
  doneFraction: Type.Number({ description: 'done / total; 1 when there is nothing to deliver' }),
  inOutbox: Type.Integer({
    minimum: 0,
    description:
      'Of counts.delivered: deliveries the outbox provider stored and never handed to a network (no provider is configured for the channel). The console never shows them as delivered',
  }),
};

const Throughput = Type.Object({
  last5s: Type.Number({ description: 'Deliveries accepted by providers per second over the last 5 s' }),
  overall: Nullable(
    Type.Number({ description: 'Accepted per second from the message’s creation to the last acceptance' }),
  ),
});

const Latency = Nullable(
  Type.Object(
    {
      count: Type.Integer(),
      p50: Type.Number(),
      p90: Type.Number(),
      p99: Type.Number(),
      max: Type.Number(),
    },
    { description: 'Milliseconds from the message’s creation; null when no delivery got that far' },
  ),
);

const ChannelTracking = Type.Object({
  channel: Type.String(),
  ...progress,
  throughput: Throughput,
  latencyMs: Type.Object({
    accepted: Latency,
    delivered: Latency,
  }),
});

const Place = Nullable(Type.Object({ code: Type.String(), name: Type.String() }));
// The shape of acknowledgementSummary (src/alerts/replies), so both routes list people alike.
const NeedHelpEntry = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  contact: Nullable(Type.String({ description: 'The phone number or email address they answered from' })),
  channel: Type.String({ description: 'sms, email, voice or web' }),
  respondedAt: DateTime,
  building: Place,
  residenceHall: Place,
});

/** The live tracking of one alert, as GET …/tracking returns it and each SSE `tracking` event carries. */
export const AlertTrackingSchema = Type.Object(
  {
    alert: Type.Object({
      id: Type.String({ format: 'uuid' }),
      kind: Type.String(),
      status: Type.String({ description: 'draft, sending, sent or closed' }),
      hazard: Type.String(),
      templateVersion: Type.Integer(),
      channels: Type.Array(Type.String()),
      acknowledgementRequested: Type.Boolean(),
      createdAt: DateTime,
      initiatedAt: Nullable(DateTime),
      closedAt: Nullable(DateTime),
    }),
    generatedAt: DateTime,
    totals: Type.Object({ ...progress, throughput: Throughput }),
    messages: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        sequence: Type.Integer(),
        type: Type.String({ description: 'alert, update, all_clear or cancel' }),
        createdAt: DateTime,
        fannedOut: Type.Boolean({
          description:
            'Whether every recipient has been found and has a delivery; until then the counts are still growing',
        }),
        channels: Type.Array(ChannelTracking, {
          description: 'In the campus’s channel order (the profile’s)',
        }),
      }),
    ),
    providers: Type.Array(
      Type.Object({
        provider: Nullable(Type.String()),
        sender: Nullable(Type.String()),
        channel: Type.String(),
        ...progress,
      }),
      {
        description: 'Counts per provider and sender; provider null for deliveries no provider has taken yet',
      },
    ),
    failures: Type.Array(
      Type.Object({
        status: Type.String(),
        channel: Type.String(),
        reason: Type.String({
          description:
            'The suppression reason, else the provider’s error code, else the first words of the error',
        }),
        count: Type.Integer(),
        sampleError: Nullable(Type.String()),
        sampleDeliveryId: Type.String({ format: 'uuid' }),
      }),
      {
        description: 'Failed and suppressed deliveries grouped by reason, largest first (at most 50 groups)',
      },
    ),
    acknowledgements: Type.Object({
      requested: Type.Boolean(),
      safe: Type.Integer(),
      needHelp: Type.Integer(),
      noResponse: Nullable(
        Type.Integer({
          description: 'People reached who have not answered; null when the alert asked for no answer',
        }),
      ),
      needHelpList: Nullable(
        Type.Array(NeedHelpEntry, {
          description:
            'Who answered “need help”, longest wait first (at most 1,000); null unless the reader holds directory.read',
        }),
      ),
      needHelpListTruncated: Type.Boolean(),
    }),
  },
  { description: 'Delivery of an alert per message and channel, providers, failures and acknowledgements' },
);

export type AlertTracking = Static<typeof AlertTrackingSchema>;
export type ChannelTracking = Static<typeof ChannelTracking>;
