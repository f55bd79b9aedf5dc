import type { RoutePlugin } from '../platform/http/server.js';

/** Previews of an alert on every channel and the options the send form needs (the send-flow work fills this in). */
export const alertPreviewRoutes: RoutePlugin = () => undefined;
