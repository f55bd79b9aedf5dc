import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorStatus, isAppError, type ErrorCode } from '../../platform/errors.js';
import type { App } from '../../platform/http/server.js';
import { scimMediaType, urn } from './scim-urns.js';

/** The detail error keywords of RFC 7644 §3.12. */
type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A SCIM error response body (RFC 7644 §3.12). */
interface ScimErrorBody {
  schemas: [typeof urn.error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** Tocsin's one error type, carrying the scimType a SCIM client expects. */
function scimError(code: ErrorCode, scimType: ScimType, detail: string): AppError {
  return new AppError(code, detail, { scimType });
}

/** Shorthands: a 400 or 409 with its scimType. */
export const invalidValue = (detail: string) => scimError('validation', 'invalidValue', detail);
export const invalidSyntax = (detail: string) => scimError('validation', 'invalidSyntax', detail);
export const invalidFilter = (detail: string) => scimError('validation', 'invalidFilter', detail);
export const invalidPath = (detail: string) => scimError('validation', 'invalidPath', detail);
export const noTarget = (detail: string) => scimError('validation', 'noTarget', detail);
export const mutability = (detail: string) => scimError('validation', 'mutability', detail);
export const uniqueness = (detail: string) => scimError('conflict', 'uniqueness', detail);

// PostgreSQL SQLSTATEs that mean the input was wrong: a constraint the code did not check first
// (or a race with another request) still answers 4xx.
const databaseInputErrors: Record<string, [ErrorCode, ScimType]> = {
  '23505': ['conflict', 'uniqueness'],
  '23503': ['conflict', 'invalidValue'],
  '23514': ['validation', 'invalidValue'],
  '23502': ['validation', 'invalidValue'],
  '22P02': ['validation', 'invalidValue'],
  '22001': ['validation', 'invalidValue'],
  '22007': ['validation', 'invalidValue'],
  '22008': ['validation', 'invalidValue'],
  '22021': ['validation', 'invalidValue'],
};

function fromDatabase(error: FastifyError): AppError | null {
  const sqlState = (error as { code?: unknown }).code;
  const mapped = typeof sqlState === 'string' ? databaseInputErrors[sqlState] : undefined;
  if (!mapped) return null;
  const constraint = (error as { constraint?: string }).constraint;
  const what =
    mapped[1] === 'uniqueness' ? 'conflicts with an existing resource' : 'has an unacceptable value';
  return scimError(mapped[0], mapped[1], `The request ${what}${constraint ? ` (${constraint})` : ''}.`);
}

function fromFramework(error: FastifyError): AppError | null {
  if (error.validation) {
    const problems = error.validation.map((v) => `${v.instancePath || error.validationContext} ${v.message}`);
    const type = error.validationContext === 'body' ? 'invalidSyntax' : 'invalidValue';
    return scimError('validation', type, `The request is invalid: ${problems.join('; ')}.`);
  }
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500) return null;
  if (status === 413) return new AppError('payload_too_large', 'The request body is larger than 1 MiB.');
  if (status === 415)
    return new AppError(
      'unsupported_media_type',
      'Unsupported content type: send application/scim+json or application/json.',
    );
  return scimError('validation', 'invalidSyntax', `The request could not be read: ${error.message}`);
}

/** Any error as the AppError it stands for; unknown errors become `internal`. */
function asAppError(error: FastifyError, requestId: string): AppError {
  if (isAppError(error)) return error;
  return (
    fromFramework(error) ??
    fromDatabase(error) ??
    new AppError(
      'internal',
      `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    )
  );
}

/** The SCIM body and HTTP status for an error. */
function scimErrorResponse(error: AppError): { status: number; body: ScimErrorBody } {
  const status = errorStatus(error.code);
  const body: ScimErrorBody = { schemas: [urn.error], status: String(status), detail: error.message };
  const details = error.details as { scimType?: ScimType } | undefined;
  if (details?.scimType) body.scimType = details.scimType;
  return { status, body };
}

/**
 * Inside the /scim/v2 scope: every error, including the access hook's 401/403, an unknown route's
 * 404 and body validation, answers in the SCIM error format with the SCIM media type.
 */
export function installScimErrorHandling(scope: App): void {
  scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = asAppError(error, String(request.id));
    const { status, body } = scimErrorResponse(appError);
    if (status >= 500) request.log.error({ err: error }, 'SCIM request failed');
    if (appError.retryAfterSeconds) void reply.header('retry-after', String(appError.retryAfterSeconds));
    return reply.status(status).type(scimMediaType).send(body);
  });
  scope.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const detail = `No SCIM endpoint ${request.method} ${path}. Tocsin serves Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas.`;
    const { status, body } = scimErrorResponse(new AppError('not_found', detail));
    return reply.status(status).type(scimMediaType).send(body);
  });
}
