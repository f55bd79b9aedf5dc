import type { RoutePlugin } from '../../platform/http/server.js';

/** The plain, server-rendered send form at /send (the break-glass work fills this in). */
export const breakGlassPages: RoutePlugin = () => undefined;
