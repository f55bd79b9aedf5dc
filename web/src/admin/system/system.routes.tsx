import type { RouteObject } from 'react-router';

/** Templates and their versions, providers and senders, the outbox, operators and roles, the audit log, inbound CAP. */
export const systemRoutes: RouteObject[] = [];
