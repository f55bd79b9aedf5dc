/** Stable error codes; each maps to one HTTP status in one place (errorStatus). */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'mfa_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_acceptable'
  | 'unavailable'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  mfa_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_acceptable: 406,
  unavailable: 503,
  internal: 500,
};

/** The one error type of Tocsin: a stable code, a message a person can act on, optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { retryAfterSeconds?: number }) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** HTTP status for an error code. */
export function errorStatus(code: ErrorCode): number {
  return statusByCode[code];
}

/** True when the value is an AppError (works across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Shorthands for the common cases. */
export const notFound = (what: string, details?: unknown) =>
  new AppError('not_found', `${what} was not found.`, details);
export const forbidden = (message: string, details?: unknown) => new AppError('forbidden', message, details);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const invalid = (message: string, details?: unknown) => new AppError('validation', message, details);
