import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorStatus, isAppError, type ErrorCode } from '../errors.js';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Map a Fastify validation error to a list of field problems a person can read. */
function validationDetails(error: FastifyError) {
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const base = v.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : null;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : null;
    const field = [base, missing ?? extra].filter(Boolean).join('.') || '(body)';
    const message = extra ? `is not a known field` : (v.message ?? 'is invalid');
    return { in: error.validationContext ?? 'body', field, message };
  });
}

// PostgreSQL SQLSTATEs that mean the input was wrong, not the server: a constraint the schema
// enforces is a validation the code missed, and must still answer 4xx.
const databaseInputErrors: Record<string, AppError['code']> = {
  '23505': 'conflict',
  '23503': 'conflict',
  '23514': 'validation',
  '23502': 'validation',
  '22P02': 'validation',
  '22001': 'validation',
  '22003': 'validation',
  '22007': 'validation',
  '22008': 'validation',
};

/** A constraint or type error from PostgreSQL, as the client error it is. */
function databaseError(error: FastifyError): AppError | null {
  const sqlState = (error as { code?: unknown }).code;
  const code = typeof sqlState === 'string' ? databaseInputErrors[sqlState] : undefined;
  if (!code) return null;
  const detail =
    (error as { constraint?: string; column?: string }).constraint ?? (error as { column?: string }).column;
  const message =
    code === 'conflict' ? 'This conflicts with an existing record.' : 'A value is not acceptable.';
  return new AppError(code, `${message}${detail ? ` (${detail})` : ''} Check the request and try again.`);
}

/** Fastify's own client errors (bad JSON, wrong content type, body too large) keep their 4xx. */
function frameworkError(error: FastifyError): AppError | null {
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500) return null;
  if (status === 413) return new AppError('payload_too_large', 'The request body is too large.');
  if (status === 415)
    return new AppError('unsupported_media_type', `Unsupported content type. Send application/json.`);
  if (status === 429) return new AppError('rate_limited', error.message);
  return new AppError('validation', `The request could not be read: ${error.message}`);
}

/** The one place domain errors become HTTP responses: `{ error: { code, message, details } }`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let appError: AppError;
    if (isAppError(error)) appError = error;
    else if (error.validation) {
      const details = validationDetails(error);
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      appError = new AppError('validation', `The request is invalid: ${summary}.`, details);
    } else
      appError =
        frameworkError(error) ??
        databaseError(error) ??
        new AppError(
          'internal',
          `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
        );
    const status = errorStatus(appError.code);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (appError.retryAfterSeconds) void reply.header('retry-after', String(appError.retryAfterSeconds));
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.details !== undefined) body.error.details = appError.details;
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` },
    };
    return reply.status(404).send(body);
  });
}
