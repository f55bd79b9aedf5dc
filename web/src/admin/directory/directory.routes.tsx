import type { RouteObject } from 'react-router';

/** People and their contacts, groups, locations, directory sync runs, API (SCIM) tokens. */
export const directoryRoutes: RouteObject[] = [];
