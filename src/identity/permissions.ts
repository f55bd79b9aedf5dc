/**
 * Every permission a route or use case can require. Roles in the policy profile grant these;
 * the profile is validated against this list so a typo fails start-up instead of silently denying.
 */
export const permissions = [
  // identity and platform
  'operators.read',
  'operators.manage',
  'tokens.manage',
  'audit.read',
  'audit.verify',
  'metrics.read',
  'jobs.read',
  // directory (issue: community directory)
  'directory.read',
  'directory.manage',
  'directory.sync',
  'scim.provision',
  // alerts and delivery
  'alerts.read',
  'alerts.send.emergency',
  'alerts.send.operations',
  'alerts.send.test',
  'alerts.close',
  'templates.manage',
  'providers.manage',
  'outbox.read',
  // public site
  'inbound_cap.submit',
  'inbound_cap.relay',
  // Clery records
  'clery.crime_log.manage',
  'clery.timely_warning.issue',
  'clery.reports.read',
  'clery.tests.record',
  // panic buttons (duress alarms)
  'duress.requests.submit',
  'duress.requests.review',
  'duress.alarms.respond',
  // security office
  'security.card_logs.troubleshoot',
  'security.card_logs.request_investigation',
  'security.card_logs.release',
  'security.video.request_export',
  'security.video.approve_export',
  'security.photos.release',
] as const;

export type Permission = (typeof permissions)[number];

/** True when the string names a known permission. */
export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}
