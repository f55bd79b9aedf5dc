import type { FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { sessionCookie } from './sessions.js';

/**
 * Set the session cookie: http-only, Secure, SameSite=Lax (Lax, not Strict, so the redirect back
 * from the single sign-on provider carries it; CSRF tokens guard every change).
 */
export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  void reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    secure: ctx.config.cookieSecure,
    sameSite: 'lax',
    path: '/',
    maxAge: ctx.profile.security.session.absoluteHours * 3600,
  });
}

/** Remove the session cookie. */
export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, {
    httpOnly: true,
    secure: ctx.config.cookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}
