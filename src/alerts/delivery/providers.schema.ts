import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A circuit breaker's state, as the provider_health table holds it. */
const CircuitStateSchema = Type.Union([
  Type.Literal('closed'),
  Type.Literal('open'),
  Type.Literal('half_open'),
]);

const ProviderHealth = Type.Object(
  {
    circuit: CircuitStateSchema,
    consecutiveFailures: Type.Integer({
      description:
        'Retryable failures in a row that the worker had counted when its circuit last changed (0 after a success closed it)',
    }),
    lastError: Nullable(
      Type.String({ description: 'The last retryable error the worker saw (secrets removed)' }),
    ),
    openedAt: Nullable(Type.String({ description: 'When the circuit last opened' })),
    retryAt: Nullable(
      Type.String({
        description:
          'While open: when workers let one probe batch through again (openedAt + circuitOpenSeconds)',
      }),
    ),
    changedAt: Type.String({ description: 'When a worker last wrote this row (its last transition)' }),
  },
  { description: 'The circuit as the last worker to change it saw it; null: it never left closed' },
);

const ProviderActivity = Type.Object(
  {
    successes: Type.Integer({
      description: 'Messages the provider answered (accepted, delivered or refused for good), every worker',
    }),
    failures: Type.Integer({ description: 'Retryable failures: timeouts, connection errors, 5xx, 429' }),
    lastSuccessAt: Nullable(Type.String({ description: 'The last answer that went through' })),
    lastFailureAt: Nullable(Type.String({ description: 'The last retryable failure' })),
    lastFailure: Nullable(Type.String({ description: 'What that failure said (secrets removed)' })),
    since: Type.String({ description: 'When the counts began' }),
    updatedAt: Type.String({
      description: 'When a worker last added to them (every 5 s at most while sending)',
    }),
  },
  { description: 'What the provider has done, summed over every worker; null: it has sent nothing' },
);

const Detail = Type.Object({ label: Type.String(), value: Type.String() });
const Sender = Type.Object({
  address: Type.String({ description: 'E.164 number, short code, alphanumeric id or Messaging Service SID' }),
  segmentsPerSecond: Type.Number({ description: 'Configured pace per worker process; 0: not paced' }),
});

const Provider = Type.Object({
  name: Type.String({ description: 'Unique; stored on every delivery it carries' }),
  type: Type.String({
    description: 'twilio, smtp, webhook, cap, x, facebook, outbox (the default) or public_site',
  }),
  description: Type.String(),
  channels: Type.Array(Type.String()),
  details: Type.Array(Detail, {
    description: 'Configuration that is not secret (no tokens, passwords, keys)',
  }),
  senders: Type.Array(Sender),
  health: Nullable(ProviderHealth),
  activity: Nullable(ProviderActivity),
});

/** GET /api/v1/providers: each channel's providers in failover order, their senders and health. */
export const ProvidersOverviewSchema = Type.Object({
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      providers: Type.Array(Type.String(), { description: 'Provider names in failover order' }),
    }),
  ),
  providers: Type.Array(Provider),
  circuit: Type.Object({
    failureThreshold: Type.Integer({ description: 'Consecutive retryable failures that open a circuit' }),
    openSeconds: Type.Integer({ description: 'How long an open circuit sends nothing before a probe' }),
  }),
  explanation: Type.String({ description: 'What the health figures mean' }),
  checkedAt: Type.String(),
});

export type ProvidersOverview = Static<typeof ProvidersOverviewSchema>;
export type ProviderOverview = ProvidersOverview['providers'][number];
export type ProviderHealthView = Static<typeof ProviderHealth>;
export type ProviderActivityView = Static<typeof ProviderActivity>;
