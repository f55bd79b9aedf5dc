import { ApiError, errorMessage } from '../api/client';

/** The form's fields, by the names the API uses, with the id of the control each error points at. */
const fieldControls: Record<string, { id: string; label: string }> = {
  kind: { id: 'kind-choice', label: 'Kind of alert' },
  audience: { id: 'where-search', label: 'Who receives it' },
  where: { id: 'where-text', label: 'Where, in the message' },
  audienceReason: { id: 'audience-reason', label: 'Why this audience' },
  what: { id: 'what', label: 'What is happening' },
  actions: { id: 'actions', label: 'What people should do' },
  channels: { id: 'channels', label: 'Channels' },
  confirmedBy: { id: 'confirmed-by', label: 'Confirmed by' },
  confirmationSource: { id: 'confirmation-source', label: 'Source of confirmation' },
  confirmedAt: { id: 'confirmed-at', label: 'Confirmed at' },
  delayReason: { id: 'delay-reason', label: 'Reason for waiting' },
  delayDecidedBy: { id: 'delay-decided-by', label: 'Who decided to wait' },
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const translationLabels = { what: 'What, in', where: 'Where, in', actions: 'Actions, in' } as const;

/** The id and label of a form field, a language's too ("translations.es.what": "What, in Spanish"). */
export function controlOf(field: string): { id: string; label: string } | undefined {
  const words = /^translations\.([a-z]{2}(?:-[A-Z]{2})?)\.(what|where|actions)$/.exec(field);
  if (!words) return fieldControls[field];
  const [, language, part] = words as unknown as [string, string, keyof typeof translationLabels];
  return {
    id: `${language}-${part}`,
    label: `${translationLabels[part]} ${languageNames.of(language) ?? language}`,
  };
}

/** An API field name ("audience.locationCodes", "channels.0") as the form's field. */
function formField(apiField: string): string | null {
  const dotted = apiField.replace(/^\//, '').replaceAll('/', '.');
  const words = /^translations\.[^.]+\.(what|where|actions)/.exec(dotted);
  if (words) return words[0];
  const [head] = dotted.split('.');
  if (!head) return null;
  return head in fieldControls ? head : null;
}

const sentence = (text: string) => text[0]!.toUpperCase() + text.slice(1).replace(/\.?$/, '.');

/** The schema validator's words ("must NOT have fewer than 1 characters") as advice. */
function advice(message: string): string {
  const longest = /must NOT have more than (\d+) characters/.exec(message);
  if (longest) return `Shorten this to ${longest[1]} characters or fewer.`;
  if (/must NOT have fewer than 1 (characters|items)/.test(message)) return 'Fill this in.';
  if (/format "date-time"/.test(message)) return 'Give a date and time.';
  if (/allowed values|must be equal to constant|anyOf/.test(message)) return 'Choose one of the options.';
  return sentence(message);
}

interface Problem {
  field?: unknown;
  message?: unknown;
}

/**
 * Split an API error into messages per form field and what is left for the top of the form. The
 * API's details are a list of { field, message } (schema and record problems) or one { field }
 * (the error's own message is then about that field).
 */
export function fieldErrorsOf(error: unknown): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  const details = error instanceof ApiError ? error.details : undefined;
  const problems: Problem[] = Array.isArray(details)
    ? (details as Problem[])
    : details && typeof details === 'object'
      ? [{ field: (details as Problem).field }]
      : [];
  let unplaced = problems.length === 0;
  for (const problem of problems) {
    const field = typeof problem.field === 'string' ? formField(problem.field) : null;
    if (!field) unplaced = true;
    if (!field || fields[field]) continue;
    fields[field] = typeof problem.message === 'string' ? advice(problem.message) : errorMessage(error);
  }
  return { fields, general: unplaced ? errorMessage(error) : null };
}
