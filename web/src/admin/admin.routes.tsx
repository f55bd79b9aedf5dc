import type { RouteObject } from 'react-router';
import { directoryRoutes } from './directory/directory.routes';
import { systemRoutes } from './system/system.routes';

/** Administration screens: the directory (people, groups, locations, syncs, tokens) and the system (templates, providers, outbox, operators, audit, inbound CAP). */
export const adminRoutes: RouteObject[] = [...directoryRoutes, ...systemRoutes];
