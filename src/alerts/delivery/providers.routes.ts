import type { RoutePlugin } from '../../platform/http/server.js';

/** Providers and senders with their health and circuit state (the administration work fills this in). */
export const providerRoutes: RoutePlugin = () => undefined;
