import { Type, type Static } from 'typebox';
import {
  alertKinds,
  delayReasons,
  deliveryChannels,
  type AlertKind,
  type DelayReason,
} from './alerts.tables.js';

// The send flow's API shapes (POST /api/v1/alerts/preview, GET /api/v1/alerts/send-options),
// shared with the console through `import type`: this file imports nothing from Node.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Words for the delay reasons of 34 CFR 668.46(g)(3): notifying would compromise efforts to… */
export const delayReasonLabels: Record<DelayReason, string> = {
  assist_victim: 'Notifying now would compromise efforts to assist a victim',
  contain: 'Notifying now would compromise efforts to contain the emergency',
  respond: 'Notifying now would compromise efforts to respond to the emergency',
  mitigate: 'Notifying now would compromise efforts to otherwise mitigate the emergency',
};

/** Short names of the alert kinds, as an operator says them. */
export const kindLabels: Record<AlertKind, string> = {
  emergency: 'Emergency',
  operations: 'Operations disruption',
  test: 'Test',
  exercise: 'Exercise',
};

/** What each channel is, in words. */
export const channelLabels: Record<string, string> = {
  sms: 'Text message (SMS)',
  voice: 'Voice call',
  email: 'Email',
  office_phones: 'Office phones',
  public_page: 'Public emergency page',
  signage: 'Digital signage',
  desktop: 'Desktop alerts',
  x: 'X (Twitter)',
  facebook: 'Facebook',
  cap: 'CAP feed',
  webhook: 'Webhooks',
};

/** The channels that reach people at their own addresses (the reach estimate counts these). */
export const personalChannels = ['sms', 'voice', 'email', 'office_phones'] as const;

const Audience = Type.Object(
  {
    everyone: Type.Optional(Type.Boolean()),
    affiliations: Type.Optional(
      Type.Array(Type.Enum(['student', 'employee', 'affiliate', 'extended']), { maxItems: 4 }),
    ),
    groupIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
    locationCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 200 })),
  },
  { additionalProperties: false },
);

/** The operator's words in the profile's other languages, e.g. { es: { what, where, actions } }. */
export const Translations = Type.Record(
  Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
  Type.Object(
    {
      // 300 of the operator's own, or the details-in-the-primary-language sentence (up to 200)
      // before the primary language's 300, as the console sends a language left to review.
      what: Type.Optional(Type.String({ minLength: 1, maxLength: 501 })),
      where: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      actions: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    },
    { additionalProperties: false },
  ),
  {
    description:
      'Words in the profile’s non-primary languages. A follow-up language left out says, in that language, that the details are in the primary language, then carries the primary text.',
  },
);

/**
 * The body of POST /api/v1/alerts/preview: the fields of POST /api/v1/alerts (a test keeps the two
 * in step), with the audience and its reason optional (a preview needs no audience).
 */
export const PreviewBody = Type.Object(
  {
    templateId: Type.String({ format: 'uuid' }),
    kind: Type.Enum(alertKinds),
    where: Type.String({ minLength: 1, maxLength: 200 }),
    what: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    actions: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    translations: Type.Optional(Translations),
    audience: Type.Optional(Audience),
    audienceReason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    channels: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), {
      minItems: 1,
      maxItems: deliveryChannels.length,
    }),
    announced: Type.Optional(Type.Boolean()),
    acknowledgementRequested: Type.Optional(Type.Boolean()),
    escalationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    confirmedBy: Type.Optional(Type.String({ maxLength: 200 })),
    confirmationSource: Type.Optional(Type.String({ maxLength: 500 })),
    confirmedAt: Type.Optional(Type.String({ format: 'date-time' })),
    delayReason: Type.Optional(Type.Enum(delayReasons)),
    delayDecidedBy: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;

const Warnings = Type.Array(Type.String());
const SmsPreview = Type.Object({
  text: Type.String(),
  encoding: Type.Enum(['GSM-7', 'UCS-2']),
  segments: Type.Integer(),
  characters: Type.Integer({ description: 'Septets for GSM-7, UTF-16 code units for UCS-2' }),
  perSegment: Type.Integer(),
  ucs2Characters: Type.Array(Type.String(), { description: 'The characters that force UCS-2' }),
  shortened: Type.Array(Type.Enum(['what', 'where']), {
    description: 'The fields cut short (ending in "...") to fit the SMS segments; empty when nothing was',
  }),
  warnings: Warnings,
});
const LanguagePreview = Type.Object({
  language: Type.String(),
  languageName: Type.String(),
  primary: Type.Boolean(),
  what: Type.String(),
  where: Type.String(),
  actions: Type.String(),
  sms: SmsPreview,
  voice: Type.Object({ text: Type.String(), ssml: Type.String(), voice: Type.String(), warnings: Warnings }),
  email: Type.Object({
    subject: Type.String(),
    text: Type.String(),
    html: Type.String(),
    warnings: Warnings,
  }),
  x: Type.Object({ text: Type.String(), length: Type.Integer(), warnings: Warnings }),
  facebook: Type.Object({ message: Type.String(), link: Nullable(Type.String()), warnings: Warnings }),
  signage: Type.Object({
    level: Type.String(),
    headline: Type.String(),
    body: Type.String(),
    actions: Type.String(),
    background: Type.String(),
    foreground: Type.String(),
    warnings: Warnings,
  }),
  warnings: Type.Array(Type.String(), {
    description: 'Every channel’s warnings, prefixed with the channels',
  }),
});
const FieldProblem = Type.Object({ field: Type.String(), message: Type.String() });

/** The reply of POST /api/v1/alerts/preview. */
export const AlertPreview = Type.Object({
  template: Type.Object({
    id: Type.String(),
    name: Type.String(),
    hazard: Type.String(),
    version: Type.Integer(),
  }),
  kind: Type.Enum(alertKinds),
  languages: Type.Array(LanguagePreview),
  cap: Type.Object({ xml: Type.String(), warnings: Warnings }),
  timing: Type.Object({
    now: Type.String({ format: 'date-time' }),
    thresholdMinutes: Type.Integer(),
    confirmedAt: Nullable(Type.String({ format: 'date-time' })),
    lateAfter: Nullable(
      Type.String({ format: 'date-time', description: 'From this moment a delay reason is required' }),
    ),
    delayReasonRequired: Type.Boolean(),
  }),
  recordProblems: Type.Array(FieldProblem, {
    description: 'What the emergency-notification record lacks if it were sent now (empty: complete)',
  }),
});
export type AlertPreview = Static<typeof AlertPreview>;

/** The reply of GET /api/v1/alerts/send-options. */
export const SendOptions = Type.Object({
  kinds: Type.Array(
    Type.Object({
      kind: Type.Enum(alertKinds),
      label: Type.String(),
      title: Type.String(),
      description: Type.String(),
      defaultChannels: Type.Array(Type.String()),
    }),
    { description: 'Only the kinds this operator may send' },
  ),
  hazards: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      kinds: Type.Array(Type.Enum(alertKinds), {
        description: 'Kinds of this hazard this operator may send',
      }),
    }),
  ),
  channels: Type.Array(
    Type.Object({ channel: Type.String(), label: Type.String(), reachesPeople: Type.Boolean() }),
  ),
  languages: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      primary: Type.Boolean(),
      detailsInPrimaryLanguage: Type.Optional(
        Type.String({
          description:
            'A non-primary language’s sentence saying the details are in the primary language (what a language nobody wrote or reviewed says)',
        }),
      ),
    }),
  ),
  delayReasons: Type.Array(Type.Object({ reason: Type.Enum(delayReasons), label: Type.String() })),
  initiationDelayThresholdMinutes: Type.Integer(),
  confirmationSources: Type.Array(Type.String()),
});
export type SendOptions = Static<typeof SendOptions>;
