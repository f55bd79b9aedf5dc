import type { RoutePlugin } from '../platform/http/server.js';

/** Alert history and search (the dashboard work fills this in). */
export const alertHistoryRoutes: RoutePlugin = () => undefined;
