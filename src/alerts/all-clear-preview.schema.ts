import { Type, type Static } from 'typebox';
import { Translations } from './send-flow.schema.js';

/** The words an operator may replace in the all-clear (the primary language's, and the others'). */
export const AllClearPreviewBody = Type.Object(
  {
    what: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    where: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    actions: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    translations: Type.Optional(Translations),
  },
  { additionalProperties: false },
);
export type AllClearPreviewBody = Static<typeof AllClearPreviewBody>;

const Warnings = Type.Array(Type.String());

/** POST /api/v1/alerts/:id/all-clear/preview: the all-clear's words as each channel will send them. */
export const AllClearPreview = Type.Object({
  kind: Type.String(),
  channels: Type.Array(Type.String(), {
    description: 'The alert’s channels: the all-clear goes by the same',
  }),
  languages: Type.Array(
    Type.Object({
      language: Type.String(),
      languageName: Type.String(),
      primary: Type.Boolean(),
      what: Type.String(),
      where: Type.String(),
      actions: Type.String(),
      sms: Type.Object({ text: Type.String(), segments: Type.Integer(), encoding: Type.String() }),
      voice: Type.Object({ text: Type.String() }),
      email: Type.Object({ subject: Type.String(), text: Type.String() }),
      signage: Type.Object({ headline: Type.String(), body: Type.String(), actions: Type.String() }),
      warnings: Warnings,
    }),
  ),
  cap: Type.Object({ xml: Type.String() }),
});
export type AllClearPreview = Static<typeof AllClearPreview>;
