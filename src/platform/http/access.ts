import type { Actor } from '../actor.js';

/**
 * Permission names a route may require. Empty here: the composition root adds the identity
 * domain's catalogue by declaration merging (src/app/permissions.ts), so a misspelt permission
 * fails the type check while platform imports no domain. Exported for that merging alone.
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by src/app/permissions.ts
export interface PermissionNames {}

/** A permission a route may require (see PermissionNames). */
export type PermissionName = keyof PermissionNames & string;

/**
 * What a route requires. Every route declares one; the server refuses to start with a route that
 * does not. `public`: anyone. `signedIn`: an operator session at one of the sign-in stages
 * (default: active). `permission`: an active session or an API token holding it. The installed
 * access control (the identity domain's) enforces it and checks every stage and permission named.
 */
export type Access =
  { public: true } | { signedIn: true; stages?: readonly string[] } | { permission: PermissionName };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * The level of the route's one line per request ("request completed"); default info. A
     * provider's status callbacks, thousands a second during an alert, say debug.
     */
    requestLog?: 'info' | 'debug';
  }
  interface FastifyRequest {
    /** Who is calling, once access control has authenticated the request (null: nobody). */
    actor: Actor | null;
  }
}

/** Shorthands for route config. */
export const publicRoute = { access: { public: true } } as const satisfies { access: Access };
export const signedIn = (stages?: readonly string[]) => ({ access: { signedIn: true, stages } as Access });
export const requires = (permission: PermissionName) => ({ access: { permission } as Access });
