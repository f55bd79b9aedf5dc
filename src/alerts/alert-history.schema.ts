import { Type, type Static } from 'typebox';
import { alertKinds, alertStatuses } from './alerts.tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

/** The query string of GET /api/v1/alerts. */
export const AlertHistoryQuerySchema = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description:
          'Words in any message’s what or where (any language), the template’s name, or an alert id',
      }),
    ),
    kind: Type.Optional(Type.Enum(alertKinds)),
    status: Type.Optional(Type.Enum(alertStatuses)),
    test: Type.Optional(
      Type.Boolean({
        description: 'true: only test and exercise alerts; false: only real ones (emergency, operations)',
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Sent at or after this instant' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Sent before this instant' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'nextCursor of the previous page, unchanged' }),
    ),
  },
  { additionalProperties: false },
);

/** One alert as the history lists it. */
const AlertHistoryRowSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'emergency, operations, test or exercise' }),
  status: Type.String({ description: 'draft, sending, sent or closed' }),
  hazard: Type.String(),
  templateName: Type.String(),
  what: Nullable(Type.String({ description: 'The first message’s what, in the primary language' })),
  where: Nullable(Type.String({ description: 'The first message’s where, in the primary language' })),
  sentBy: Nullable(Type.String({ description: 'The username or token name that sent it' })),
  sentByName: Nullable(Type.String({ description: 'The sending operator’s display name, else sentBy' })),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  latestMessageType: Type.String({ description: 'alert, update, all_clear or cancel' }),
  messageCount: Type.Integer({ minimum: 1, description: 'Messages sent (escalation calls aside)' }),
  deliveries: Type.Object({
    done: Type.Integer({ minimum: 0, description: 'Out of Tocsin’s hands (as in the tracking API)' }),
    total: Type.Integer({ minimum: 0 }),
  }),
});

/** The reply of GET /api/v1/alerts. */
export const AlertHistoryPageSchema = Type.Object({
  alerts: Type.Array(AlertHistoryRowSchema),
  nextCursor: Nullable(
    Type.String({ description: 'Pass as cursor for the next (older) page; null at the end' }),
  ),
});

export type AlertHistoryQuery = Static<typeof AlertHistoryQuerySchema>;
export type AlertHistoryRow = Static<typeof AlertHistoryRowSchema>;
export type AlertHistoryPage = Static<typeof AlertHistoryPageSchema>;
