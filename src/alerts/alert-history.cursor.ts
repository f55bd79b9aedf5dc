import { invalid } from '../platform/errors.js';
import type { AlertHistoryCursor } from './alert-history.queries.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What to_char writes in searchAlerts: microseconds, so no two alerts of one millisecond are skipped.
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** True for a real instant in to_char's form (2025-02-30 matches the pattern but is no day). */
function isInstant(text: string): boolean {
  if (!instant.test(text)) return false;
  const parsed = new Date(`${text.slice(0, 23)}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 23) === text.slice(0, 23);
}

/** The opaque nextCursor of the history. */
export function encodeHistoryCursor(cursor: AlertHistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** Read a cursor the history issued; anything else is a 400 naming the field. */
export function decodeHistoryCursor(text: string): AlertHistoryCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && isInstant(at) && typeof id === 'string' && uuid.test(id)) return { at, id };
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor is not one this API returned; start again without it.', [
    { in: 'querystring', field: 'cursor', message: 'is not a cursor this API returned' },
  ]);
}
