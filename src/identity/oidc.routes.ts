import type { RoutePlugin } from '../platform/http/server.js';

/** Single sign-on with OpenID Connect (work in progress in this commit: registers nothing yet). */
export const oidcRoutes: RoutePlugin = () => undefined;
