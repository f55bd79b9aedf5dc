import { ApiError } from '../../../api/client';

interface FieldProblem {
  field?: unknown;
  message?: unknown;
}

/** Ajv's wording as a person would say it. */
function inWords(message: string): string {
  const fewer = /must NOT have fewer than (\d+) characters/.exec(message);
  if (fewer) return fewer[1] === '1' ? 'cannot be empty' : `needs at least ${fewer[1]} characters`;
  const more = /must NOT have more than (\d+) characters/.exec(message);
  if (more) return `is too long: at most ${more[1]} characters`;
  if (/must match pattern/.test(message)) return 'has characters that are not allowed';
  if (/must match format "email"/.test(message)) return 'is not an email address';
  return message;
}

/**
 * The fields an API validation error names ("languages.en.what" → "cannot be empty"), so a form
 * can show each problem beside its field. Empty when the error names no field.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation') return {};
  const details = error.details;
  const list: FieldProblem[] = Array.isArray(details)
    ? (details as FieldProblem[])
    : details && typeof details === 'object'
      ? [{ ...(details as FieldProblem), message: error.message }]
      : [];
  const out: Record<string, string> = {};
  for (const problem of list) {
    if (typeof problem.field !== 'string') continue;
    out[problem.field] = typeof problem.message === 'string' ? inWords(problem.message) : 'is not valid';
  }
  return out;
}
