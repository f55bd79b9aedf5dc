import type { FastifyRequest } from 'fastify';
import type { Actor, RequestMeta } from '../actor.js';
import { AppError } from '../errors.js';

/** Address, request id and user agent of a request, for audit rows. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return {
    ip: request.ip ?? null,
    requestId: String(request.id),
    userAgent: typeof ua === 'string' ? ua : null,
  };
}

/** Who is calling; access control has already refused anonymous callers on non-public routes. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in first.');
  return request.actor;
}
