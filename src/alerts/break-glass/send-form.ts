import type { AppError } from '../../platform/errors.js';
import type { Profile } from '../../platform/profile.js';
import { alertKinds, type AlertKind, type AudienceSpec } from '../alerts.tables.js';
import type { SendAlertOptions } from '../send-alert.js';
import { emergencyRecordProblems } from '../send-alert.policy.js';
import { isLocalInputValue, localInputValue, parseLocalTime } from './local-time.js';

/** What the plain send form posts, as the strings (and ticked boxes) a browser sends. */
export interface SendFormValues {
  templateId: string;
  kind: string;
  where: string;
  /** 'everyone', 'locations' or 'affiliations': which of the audience's inputs counts. */
  audience: string;
  /** Building and zone codes as typed: "W20, N52". */
  locationCodes: string;
  affiliations: string[];
  audienceReason: string;
  what: string;
  actions: string;
  channels: string[];
  confirmedBy: string;
  confirmationSource: string;
  /** Wall-clock time in the institution's zone (a datetime-local value, or typed). */
  confirmedAt: string;
  delayReason: string;
  delayDecidedBy: string;
  /** The other languages' words as typed ({ es: { what, where, actions } }), from fields "es-what" and so on. */
  translations: Record<string, LanguageWords>;
}

type WordPart = 'what' | 'where' | 'actions';
type LanguageWords = Record<WordPart, string>;
/** A field of another language's words: "es-what". */
type LanguageField = `${string}-${WordPart}`;
const wordParts: readonly WordPart[] = ['what', 'where', 'actions'];
const languageFieldName = /^([a-z]{2}(?:-[A-Z]{2})?)-(what|where|actions)$/;

export type SendFormField = Exclude<keyof SendFormValues, 'translations'>;
/** Every field, in the order the page shows them (so the summary lists problems in the order they are met). */
export const sendFormFields: readonly SendFormField[] = [
  'templateId',
  'kind',
  'where',
  'audience',
  'locationCodes',
  'affiliations',
  'audienceReason',
  'what',
  'actions',
  'channels',
  'confirmedBy',
  'confirmationSource',
  'confirmedAt',
  'delayReason',
  'delayDecidedBy',
];
/** One message per field that is wrong, in words a person can act on. */
export type FieldProblems = Partial<Record<SendFormField | LanguageField, string>>;

/** The form's fields in page order, with each other language's after the primary words. */
export function sendFormFieldOrder(languages: readonly string[]): Array<SendFormField | LanguageField> {
  const after = sendFormFields.indexOf('actions') + 1;
  const words = languages.slice(1).flatMap((l) => wordParts.map((p): LanguageField => `${l}-${p}`));
  return [...sendFormFields.slice(0, after), ...words, ...sendFormFields.slice(after)];
}
/** What the form becomes: sendAlert's options (the caller adds the request and transaction). */
type SendFormOptions = Omit<SendAlertOptions, 'request' | 'trx'>;

export const audienceAffiliations = ['student', 'employee', 'affiliate', 'extended'] as const;
const limits = {
  where: 200,
  what: 300,
  actions: 400,
  audienceReason: 1000,
  confirmedBy: 200,
  confirmationSource: 500,
  delayDecidedBy: 200,
  locationCodes: 2000,
} as const;
const maxCodes = 200;
const codePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? text(value[0]) : '';
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/** The form's values from a posted body, whatever it holds (missing fields are empty). */
export function readSendForm(body: unknown): SendFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const translations: Record<string, LanguageWords> = {};
  for (const [name, value] of Object.entries(b)) {
    const field = languageFieldName.exec(name);
    if (!field) continue;
    const words = (translations[field[1]!] ??= { what: '', where: '', actions: '' });
    words[field[2] as WordPart] = text(value);
  }
  return {
    templateId: text(b.templateId).trim(),
    kind: text(b.kind),
    where: text(b.where),
    audience: text(b.audience),
    locationCodes: text(b.locationCodes),
    affiliations: list(b.affiliations),
    audienceReason: text(b.audienceReason),
    what: text(b.what),
    actions: text(b.actions),
    channels: list(b.channels),
    confirmedBy: text(b.confirmedBy),
    confirmationSource: text(b.confirmationSource),
    confirmedAt: text(b.confirmedAt),
    delayReason: text(b.delayReason),
    delayDecidedBy: text(b.delayDecidedBy),
    translations,
  };
}

/** The form as it opens: the operator confirmed it, now, every channel; the choices left open. */
export function sendFormDefaults(profile: Profile, operatorName: string, now: Date): SendFormValues {
  return {
    ...readSendForm({}),
    channels: [...profile.alerts.channels],
    confirmedBy: operatorName,
    confirmedAt: localInputValue(now, profile.institution.timezone),
  };
}

/** The building and zone codes typed in one field, split on commas, semicolons and spaces. */
export function splitCodes(typed: string): string[] {
  return typed
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The form as sendAlert's options (null while any field has a problem), and its audience if readable. */
export interface MappedSendForm {
  options: SendFormOptions | null;
  problems: FieldProblems;
  audience: AudienceSpec | null;
}

export interface SendFormContext {
  profile: Profile;
  /** The templates the form offers (id and name, and their primary words when known). */
  templates: ReadonlyArray<{ id: string; name: string; what?: string; actions?: string }>;
  /** The kinds this operator may send. */
  kinds: readonly AlertKind[];
  now: Date;
}

/**
 * Turn the posted form into sendAlert's options, or say what is wrong with each field. Reads and
 * bounds the fields; the Clery record is checked by the same policy sendAlert applies, so every
 * problem shows at once. sendAlert itself decides again (who may send, the template's kinds, the
 * audience's codes): the form never relaxes a rule.
 */
export function mapSendForm(values: SendFormValues, context: SendFormContext): MappedSendForm {
  const problems: FieldProblems = {};
  const { profile } = context;
  const template = checkTemplate(values, context, problems);
  const kind = checkKind(values, context, problems);
  const where = required(
    values,
    'where',
    problems,
    'Say where, for example "Building W20, the Student Center".',
  );
  const what = optional(values, 'what', problems);
  const actions = optional(values, 'actions', problems);
  const translations = checkTranslations(values, profile, problems, {
    where: where ?? '',
    what: what || template?.what || '',
    actions: actions || template?.actions || '',
    replaced: Boolean(what || actions),
  });
  const audience = checkAudience(values, problems);
  const channels = checkChannels(values, profile, problems);
  for (const field of ['confirmedBy', 'confirmationSource', 'delayDecidedBy', 'audienceReason'] as const)
    optional(values, field, problems);
  const confirmedAt = checkConfirmedAt(values, profile, problems);
  const delayReason = checkDelayReason(values, profile, problems);
  const record = {
    confirmedBy: values.confirmedBy.trim() || null,
    confirmationSource: values.confirmationSource.trim() || null,
    confirmedAt,
    delayReason,
    delayDecidedBy: values.delayDecidedBy.trim() || null,
  };
  if (kind) {
    for (const p of emergencyRecordProblems(kind, record, context.now, profile))
      problems[p.field as SendFormField] ??= sentence(p.message);
  }
  const spec = audience?.spec ?? null;
  if (Object.keys(problems).length > 0 || !template || !kind || !audience)
    return { options: null, problems, audience: spec };
  return {
    problems,
    audience: spec,
    options: {
      templateId: template.id,
      kind,
      where: where!,
      what: what || undefined,
      actions: actions || undefined,
      translations,
      audience: audience.spec,
      audienceReason:
        values.audienceReason.trim() || `Chosen on the plain send form: ${audience.description}.`,
      channels,
      record,
    },
  };
}

function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function tooLong(field: keyof typeof limits, value: string): string | null {
  const max = limits[field];
  return value.length > max ? `Keep this to ${max} characters (it has ${value.length}).` : null;
}

function required(
  values: SendFormValues,
  field: 'where',
  problems: FieldProblems,
  missing: string,
): string | null {
  const value = values[field].trim();
  const problem = value ? tooLong(field, value) : missing;
  if (problem) problems[field] = problem;
  return problem ? null : value;
}

function optional(values: SendFormValues, field: keyof typeof limits, problems: FieldProblems): string {
  const value = (values[field] as string).trim();
  const problem = tooLong(field, value);
  if (problem) problems[field] = problem;
  return value;
}

/**
 * The other languages' words: as typed (a field left empty keeps the template's words in that
 * language); a language left empty entirely after the primary words were replaced says, in its own
 * words, that the details are in the primary language, then carries them (never the template's
 * words, which may contradict them); untouched otherwise.
 */
function checkTranslations(
  values: SendFormValues,
  profile: Profile,
  problems: FieldProblems,
  primary: { where: string; what: string; actions: string; replaced: boolean },
): SendFormOptions['translations'] {
  const out: NonNullable<SendFormOptions['translations']> = {};
  for (const language of profile.alerts.languages.slice(1)) {
    const typed = values.translations[language];
    const words: Partial<LanguageWords> = {};
    for (const part of wordParts) {
      const value = typed?.[part].trim() ?? '';
      const problem = tooLong(part, value);
      if (problem) problems[`${language}-${part}`] = problem;
      else if (value) words[part] = value;
    }
    if (Object.keys(words).length > 0) out[language] = words;
    else if (primary.replaced) {
      const sentence = profile.alerts.detailsInPrimaryLanguage[language] ?? '';
      out[language] = {
        what: `${sentence} ${primary.what}`.trim() || undefined,
        where: primary.where || undefined,
        actions: primary.actions || undefined,
      };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function checkTemplate(values: SendFormValues, context: SendFormContext, problems: FieldProblems) {
  if (!values.templateId) {
    problems.templateId = 'Choose a template.';
    return null;
  }
  const template = context.templates.find((t) => t.id === values.templateId);
  if (!template) problems.templateId = 'Choose one of the templates in the list (that one does not exist).';
  return template ?? null;
}

function checkKind(values: SendFormValues, context: SendFormContext, problems: FieldProblems) {
  if (!values.kind) {
    problems.kind = 'Choose what kind of alert this is.';
    return null;
  }
  const kind = alertKinds.find((k) => k === values.kind);
  if (!kind) problems.kind = 'Choose one of the kinds shown.';
  else if (!context.kinds.includes(kind)) problems.kind = `Your roles may not send ${kind} alerts.`;
  return kind && context.kinds.includes(kind) ? kind : null;
}

type Audience = { spec: AudienceSpec; description: string };

function checkAudience(values: SendFormValues, problems: FieldProblems): Audience | null {
  const codes = splitCodes(values.locationCodes);
  const affiliations = values.affiliations;
  // Under stress a choice's own field filled in is choice enough, when it is the only one.
  const chosen =
    values.audience ||
    (codes.length && !affiliations.length ? 'locations' : '') ||
    (affiliations.length && !codes.length ? 'affiliations' : '');
  if (chosen === 'everyone') return { spec: { everyone: true }, description: 'everyone' };
  if (chosen === 'locations') return checkCodes(values.locationCodes, codes, problems);
  if (chosen === 'affiliations') {
    const known = affiliations.filter((a) => (audienceAffiliations as readonly string[]).includes(a));
    if (known.length === 0 || known.length !== affiliations.length) {
      problems.affiliations = 'Tick one or more of students, employees, affiliates, the extended community.';
      return null;
    }
    const spec = { affiliations: [...new Set(known)] as AudienceSpec['affiliations'] };
    return { spec, description: `affiliations ${spec.affiliations!.join(', ')}` };
  }
  problems.audience = chosen
    ? 'Choose one of everyone, buildings or zones, or affiliations.'
    : 'Choose who gets the alert: everyone, buildings or zones, or affiliations.';
  return null;
}

function checkCodes(typed: string, codes: string[], problems: FieldProblems): Audience | null {
  const long = tooLong('locationCodes', typed);
  const bad = codes.filter((c) => !codePattern.test(c));
  if (long) problems.locationCodes = long;
  else if (codes.length === 0)
    problems.locationCodes = 'Type one or more building or zone codes, like W20, N52.';
  else if (bad.length > 0)
    problems.locationCodes = `Not a building or zone code: ${bad.slice(0, 5).join(' ')}. Codes are letters and digits, like W20, N52.`;
  else if (codes.length > maxCodes)
    problems.locationCodes = `Type at most ${maxCodes} codes (there are ${codes.length}).`;
  if (problems.locationCodes) return null;
  const unique = [...new Set(codes.map((c) => c.toUpperCase()))];
  return { spec: { locationCodes: unique }, description: `buildings and zones ${unique.join(', ')}` };
}

function checkChannels(values: SendFormValues, profile: Profile, problems: FieldProblems): string[] {
  const known = profile.alerts.channels as readonly string[];
  const unknown = values.channels.filter((c) => !known.includes(c));
  if (values.channels.length === 0) problems.channels = 'Tick at least one channel.';
  else if (unknown.length > 0)
    problems.channels = `Tick only the channels shown (not ${unknown.slice(0, 3).join(', ')}).`;
  return known.filter((c) => values.channels.includes(c));
}

function checkConfirmedAt(values: SendFormValues, profile: Profile, problems: FieldProblems): Date | null {
  const typed = values.confirmedAt.trim();
  if (!typed) return null;
  const at = parseLocalTime(typed, profile.institution.timezone);
  if (!at)
    problems.confirmedAt = isLocalInputValue(typed.replace(' ', 'T'))
      ? 'That day or time does not exist. Write it like 2026-03-14 09:26.'
      : 'Write the date and the 24-hour time, like 2026-03-14 09:26.';
  return at;
}

function checkDelayReason(values: SendFormValues, profile: Profile, problems: FieldProblems): string | null {
  if (!values.delayReason) return null;
  if ((profile.alerts.delayReasons as readonly string[]).includes(values.delayReason))
    return values.delayReason;
  problems.delayReason = 'Choose one of the reasons in the list.';
  return null;
}

// The fields sendAlert's errors name (details.field), as the form's fields.
const errorFields: Record<string, SendFormField> = {
  kind: 'kind',
  channels: 'channels',
  audience: 'audience',
  'audience.locationCodes': 'locationCodes',
  'audience.affiliations': 'affiliations',
  templateId: 'templateId',
  confirmedBy: 'confirmedBy',
  confirmationSource: 'confirmationSource',
  confirmedAt: 'confirmedAt',
  delayReason: 'delayReason',
  delayDecidedBy: 'delayDecidedBy',
};

/**
 * Where a refusal of sendAlert belongs on the form: field problems for what its details name, and
 * a message for the top of the form when it names no field (always one or the other).
 */
export function problemsFromSendError(error: AppError): { problems: FieldProblems; message: string | null } {
  const problems: FieldProblems = {};
  const details: unknown[] = Array.isArray(error.details) ? error.details : [error.details];
  for (const d of details) {
    const item = d && typeof d === 'object' ? (d as { field?: unknown; message?: unknown }) : {};
    const language =
      typeof item.field === 'string'
        ? /^translations\.([^.]+)\.(what|where|actions)$/.exec(item.field)
        : null;
    const field: SendFormField | LanguageField | undefined = language
      ? `${language[1]!}-${language[2] as WordPart}`
      : typeof item.field === 'string'
        ? errorFields[item.field]
        : undefined;
    if (!field) continue;
    problems[field] ??=
      typeof item.message === 'string' && Array.isArray(error.details)
        ? sentence(item.message)
        : error.message;
  }
  if (error.code === 'not_found' && !problems.templateId) problems.templateId = error.message;
  if (error.code === 'forbidden' && !problems.kind) problems.kind = error.message;
  return Object.keys(problems).length > 0
    ? { problems, message: null }
    : { problems, message: error.message };
}
