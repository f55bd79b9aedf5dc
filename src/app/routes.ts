import { alertRoutes } from '../alerts/alerts.routes.js';
import { alertHistoryRoutes } from '../alerts/alert-history.routes.js';
import { alertPreviewRoutes } from '../alerts/alert-preview.routes.js';
import { scheduleRoutes } from '../alerts/schedules/schedules.routes.js';
import { breakGlassPages } from '../alerts/break-glass/break-glass.pages.js';
import { providerRoutes } from '../alerts/delivery/providers.routes.js';
import { roleRoutes } from '../identity/roles.routes.js';
import { inboundCapRoutes } from '../alerts/inbound-cap/inbound-cap.routes.js';
import { acknowledgementRoutes } from '../alerts/replies/acknowledgement.routes.js';
import { smsWebhookRoutes } from '../alerts/replies/sms-webhook.routes.js';
import { templateRoutes } from '../alerts/templates.routes.js';
import { twilioStatusRoutes } from '../alerts/delivery/providers/twilio-status.routes.js';
import { trackingRoutes } from '../alerts/tracking/tracking.routes.js';
import { reachRoutes } from '../alerts/tracking/reach.routes.js';
import { alertReportRoutes } from '../alerts/tracking/alert-reports.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { consoleRoutes } from '../console/console.routes.js';
import { scimRoutes } from '../directory/scim/scim.routes.js';
import { scimBaseUrl } from '../directory/scim/scim-users.js';
import { syncRoutes } from '../directory/sync/sync.routes.js';
import { registrationLinkPages } from '../alerts/self-registration/registration-links.pages.js';
import { registrationPages } from '../alerts/self-registration/registration.pages.js';
import { registrationRoutes } from '../alerts/self-registration/registration.routes.js';
import { groupRoutes } from '../directory/groups.routes.js';
import { locationRoutes } from '../directory/locations.routes.js';
import { campusMapRoutes } from '../directory/campus-map.routes.js';
import { mapImageSources } from '../directory/campus-map.profile.js';
import { peopleRoutes } from '../directory/people.routes.js';
import { authRoutes } from '../identity/auth.routes.js';
import { oidcRoutes } from '../identity/oidc.routes.js';
import { operatorRoutes } from '../identity/operators.routes.js';
import { signInPages } from '../identity/sign-in.pages.js';
import { tokenRoutes } from '../identity/tokens.routes.js';
import { installAccessControl } from '../identity/access-control.js';
import { platformRoutes } from '../platform/http/platform.routes.js';
import { publicRoutes } from '../public/public.routes.js';
import type { RawRequestHandler, RoutePlugin, ServerPlan } from '../platform/http/server.js';
import type { AppContext } from '../platform/context.js';
import { publicFastPath } from '../public/public-fast-path.js';

/** Every domain's routes, in the order they register. */
const allRoutes: RoutePlugin[] = [
  platformRoutes,
  alertRoutes,
  alertPreviewRoutes,
  alertHistoryRoutes,
  scheduleRoutes,
  breakGlassPages,
  providerRoutes,
  roleRoutes,
  inboundCapRoutes,
  acknowledgementRoutes,
  smsWebhookRoutes,
  twilioStatusRoutes,
  templateRoutes,
  trackingRoutes,
  reachRoutes,
  alertReportRoutes,
  authRoutes,
  oidcRoutes,
  operatorRoutes,
  tokenRoutes({ scimBaseUrl }),
  auditRoutes,
  scimRoutes,
  peopleRoutes,
  locationRoutes,
  campusMapRoutes,
  groupRoutes,
  signInPages,
  syncRoutes,
  registrationRoutes,
  registrationPages,
  registrationLinkPages,
  publicRoutes,
  consoleRoutes,
];

/** Answers written before routing (see RawRequestHandler): the public site's rendered files. */
const allFastPaths: Array<(ctx: AppContext) => RawRequestHandler> = [publicFastPath];

/** The HTTP server's plan: the identity domain's access control, then every route and fast path. */
export const serverPlan: ServerPlan = {
  accessControl: installAccessControl,
  routes: allRoutes,
  fastPaths: allFastPaths,
  imageSources: (ctx) => mapImageSources(ctx.profile),
};
