import type { FollowUp } from '../follow-up.js';

const limits = { what: 300, where: 200, actions: 400 } as const;
const parts = ['what', 'where', 'actions'] as const;
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
/** A field of another language's words on the update form: "update-es-what". */
const languageField = /^update-([a-z]{2}(?:-[A-Z]{2})?)-(what|where|actions)$/;

/** What an alert page's update or all-clear form posts. */
export interface FollowUpFormValues {
  type: string;
  what: string;
  where: string;
  actions: string;
  /** The other languages' words as typed ("es-what": …), only the fields that came. */
  [languageWords: `${string}-${'what' | 'where' | 'actions'}`]: string;
}

/** The update or all-clear form's fields from a posted body, whatever it holds. */
export function readFollowUpForm(body: unknown): FollowUpFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: FollowUpFormValues = {
    type: text(b.type),
    what: text(b['update-what']),
    where: text(b['update-where']),
    actions: text(b['update-actions']),
  };
  for (const [name, value] of Object.entries(b)) {
    const field = languageField.exec(name);
    if (field) values[`${field[1]!}-${field[2] as (typeof parts)[number]}`] = text(value);
  }
  return values;
}

/**
 * The follow-up to send, or what is wrong with the form. An update needs at least one of its
 * fields (sendFollowUp says so too); an all-clear takes the all-clear template's words.
 */
export function mapFollowUpForm(
  values: FollowUpFormValues,
  languages: readonly string[],
): { input: Omit<FollowUp, 'request' | 'trx'>; problem: null } | { input: null; problem: string } {
  if (values.type !== 'update' && values.type !== 'all_clear')
    return { input: null, problem: 'Use the update or the all-clear form on this page.' };
  if (values.type === 'all_clear') return { input: { type: 'all_clear' }, problem: null };
  for (const field of ['what', 'where', 'actions'] as const) {
    if (values[field].length > limits[field])
      return {
        input: null,
        problem: `Keep "${field}" to ${limits[field]} characters (it has ${values[field].length}).`,
      };
  }
  if (!values.what && !values.where && !values.actions)
    return { input: null, problem: 'Say what changed: fill in at least one of the three fields.' };
  // Another language's words only when written; left empty, that language says its details are
  // in the primary language (sendFollowUp), never its earlier words.
  const translations: NonNullable<FollowUp['translations']> = {};
  for (const language of languages.slice(1)) {
    const words: Partial<Record<(typeof parts)[number], string>> = {};
    for (const part of parts) {
      const value = values[`${language}-${part}`] ?? '';
      if (value.length > limits[part])
        return {
          input: null,
          problem: `Keep "${part}" in ${language} to ${limits[part]} characters (it has ${value.length}).`,
        };
      if (value) words[part] = value;
    }
    if (Object.keys(words).length > 0) translations[language] = words;
  }
  return {
    input: {
      type: 'update',
      what: values.what || undefined,
      where: values.where || undefined,
      actions: values.actions || undefined,
      translations: Object.keys(translations).length > 0 ? translations : undefined,
    },
    problem: null,
  };
}

/** The close form's reason, or what is wrong with it. */
export function mapCloseForm(body: unknown): { reason: string | undefined; problem: string | null } {
  const reason = text((body as Record<string, unknown> | null)?.reason);
  if (reason.length > 1000)
    return { reason: undefined, problem: `Keep the reason to 1000 characters (it has ${reason.length}).` };
  return { reason: reason || undefined, problem: null };
}
