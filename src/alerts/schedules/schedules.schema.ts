import { Type, type Static } from 'typebox';
import { PreviewBody } from '../send-flow.schema.js';
import { noticeStatuses, scheduleStatuses } from './schedules.policy.js';

// The API shapes of /api/v1/alert-schedules, shared with the console through `import type`: this
// file imports nothing from Node.

// A scheduled send carries the fields of POST /api/v1/alerts (via the preview body, which a test
// keeps in step with it), without the emergency-notification record: only tests and exercises are
// scheduled, and they need none.
const {
  confirmedBy: _confirmedBy,
  confirmationSource: _confirmationSource,
  confirmedAt: _confirmedAt,
  delayReason: _delayReason,
  delayDecidedBy: _delayDecidedBy,
  ...sendFields
} = PreviewBody.properties;
const audienceFields = Type.Required(Type.Pick(PreviewBody, ['audience', 'audienceReason'])).properties;

/** The send request a schedule holds: what POST /api/v1/alerts would be given at fire time. */
export const ScheduledRequest = Type.Object(
  {
    ...sendFields,
    ...audienceFields,
    proceduresPublicised: Type.Optional(
      Type.Boolean({
        description:
          'The emergency response and evacuation procedures are publicised with this test (Clery: at least one test a year); recorded in the test register',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ScheduledRequest = Static<typeof ScheduledRequest>;

const recurrenceFields = {
  everyMonths: Type.Integer({ minimum: 1, maximum: 24, description: '12: once a year' }),
  dayOfMonth: Type.Integer({
    minimum: 1,
    maximum: 31,
    description: 'The month’s last day when the month is shorter; default: firesAt’s day',
  }),
  time: Type.String({
    pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
    description:
      'HH:MM, 24-hour, in the institution’s time zone (the profile’s); default: firesAt’s time there',
  }),
};
const RecurrenceBody = Type.Object(
  {
    everyMonths: recurrenceFields.everyMonths,
    dayOfMonth: Type.Optional(recurrenceFields.dayOfMonth),
    time: Type.Optional(recurrenceFields.time),
  },
  { additionalProperties: false },
);
const RecurrenceView = Type.Object(recurrenceFields);

/** The body of POST /api/v1/alert-schedules. */
export const ScheduleBody = Type.Object(
  {
    send: ScheduledRequest,
    firesAt: Type.String({
      format: 'date-time',
      description: 'When the first (or only) occurrence is sent, with its offset',
    }),
    recurrence: Type.Optional(RecurrenceBody),
  },
  { additionalProperties: false },
);
export type ScheduleBody = Static<typeof ScheduleBody>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const NoticeView = Type.Object({
  kind: Type.Enum(['reminder', 'failure']),
  minutesBefore: Nullable(Type.Integer()),
  dueAt: Type.String({ format: 'date-time' }),
  status: Type.Enum(noticeStatuses),
  subject: Nullable(Type.String()),
  body: Nullable(Type.String({ description: 'The text sent (or kept, with no email provider)' })),
  recipients: Type.Array(
    Type.Object({
      operator: Type.String(),
      address: Type.String(),
      outcome: Type.Enum(['sent', 'kept', 'refused']),
      provider: Nullable(Type.String()),
      error: Nullable(Type.String()),
    }),
  ),
});

/** One schedule as the API shows it. */
export const ScheduleView = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['test', 'exercise']),
  status: Type.Enum(scheduleStatuses),
  firesAt: Type.String({ format: 'date-time' }),
  firesAtLocal: Type.String({ description: 'firesAt in the institution’s time zone, in words' }),
  timeZone: Type.String(),
  recurrence: Nullable(RecurrenceView),
  templateName: Type.String(),
  send: ScheduledRequest,
  scheduledBy: Type.String(),
  previousId: Nullable(Type.String()),
  alertId: Nullable(Type.String()),
  failureReason: Nullable(Type.String()),
  cancelledBy: Nullable(Type.String()),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  notices: Type.Array(NoticeView),
});
export type ScheduleView = Static<typeof ScheduleView>;

/** The reply of GET /api/v1/alert-schedules. */
export const ScheduleList = Type.Object({ schedules: Type.Array(ScheduleView) });
export type ScheduleList = Static<typeof ScheduleList>;
