import type { RouteObject } from 'react-router';

/** Alert history and each alert's live dashboard. */
export const alertRoutes: RouteObject[] = [];
