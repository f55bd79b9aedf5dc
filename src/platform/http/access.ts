import type { Permission } from '../../identity/permissions.js';
import type { SessionStage } from '../../identity/identity.tables.js';
import type { Principal } from '../../identity/principal.js';

/**
 * What a route requires. Every route declares one; the server refuses to start with a route that
 * does not. `public`: anyone. `signedIn`: an operator session at one of the stages (default
 * active). `permission`: an active session or an API token holding it.
 */
export type Access =
  { public: true } | { signedIn: true; stages?: SessionStage[] } | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Shorthands for route config. */
export const publicRoute = { access: { public: true } } as const satisfies { access: Access };
export const signedIn = (stages?: SessionStage[]) => ({ access: { signedIn: true, stages } as Access });
export const requires = (permission: Permission) => ({ access: { permission } as Access });
