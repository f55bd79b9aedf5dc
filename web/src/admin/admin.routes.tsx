import type { RouteObject } from 'react-router';

/** Administration screens: templates, directory, syncs, tokens, providers, outbox, operators, audit. */
export const adminRoutes: RouteObject[] = [];
