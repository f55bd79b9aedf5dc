import type { RoutePlugin } from '../platform/http/server.js';

/** The profile's roles and their permissions (the administration work fills this in). */
export const roleRoutes: RoutePlugin = () => undefined;
