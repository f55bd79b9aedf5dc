import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import type { Principal, SessionPrincipal } from './principal.js';

/** The authenticated caller; the access hook has already refused anonymous callers on non-public routes. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Sign in first.');
  return request.principal;
}

/** The caller's operator session (routes that only make sense for a person, not a token). */
export function sessionOf(request: FastifyRequest): SessionPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'session')
    throw new AppError('forbidden', 'This action needs an operator session, not an API token.');
  return principal;
}
