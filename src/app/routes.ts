import { alertRoutes } from '../alerts/alerts.routes.js';
import { templateRoutes } from '../alerts/templates.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { scimRoutes } from '../directory/scim/scim.routes.js';
import { syncRoutes } from '../directory/sync/sync.routes.js';
import { groupRoutes } from '../directory/groups.routes.js';
import { locationRoutes } from '../directory/locations.routes.js';
import { peopleRoutes } from '../directory/people.routes.js';
import { authRoutes } from '../identity/auth.routes.js';
import { oidcRoutes } from '../identity/oidc.routes.js';
import { operatorRoutes } from '../identity/operators.routes.js';
import { signInPages } from '../identity/sign-in.pages.js';
import { tokenRoutes } from '../identity/tokens.routes.js';
import { platformRoutes } from '../platform/http/platform.routes.js';
import type { RoutePlugin } from '../platform/http/server.js';

/** Every domain's routes, in the order they register. */
export const allRoutes: RoutePlugin[] = [
  platformRoutes,
  alertRoutes,
  templateRoutes,
  authRoutes,
  oidcRoutes,
  operatorRoutes,
  tokenRoutes,
  auditRoutes,
  scimRoutes,
  peopleRoutes,
  locationRoutes,
  groupRoutes,
  signInPages,
  syncRoutes,
];
