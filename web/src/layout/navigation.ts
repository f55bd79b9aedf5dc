import type { SessionValue } from '../session/session-context';

export interface NavItem {
  path: string;
  label: string;
  /** Shown only to operators who may use it; the server enforces the same permission. */
  visible: (s: Pick<SessionValue, 'can' | 'canAny'>) => boolean;
}

/** The console's sections, in the order the menu shows them (sending first). */
export const navigation: NavItem[] = [
  { path: '/console/', label: 'Send an alert', visible: (s) => s.canAny('alerts.send.') },
  { path: '/console/alerts', label: 'Alerts', visible: (s) => s.can('alerts.read') },
  { path: '/console/schedules', label: 'Scheduled sends', visible: (s) => s.can('alerts.read') },
  { path: '/console/cap', label: 'Inbound CAP', visible: (s) => s.can('inbound_cap.relay') },
  { path: '/console/templates', label: 'Templates', visible: (s) => s.can('alerts.read') },
  { path: '/console/people', label: 'People', visible: (s) => s.can('directory.read') },
  { path: '/console/groups', label: 'Groups', visible: (s) => s.can('directory.read') },
  { path: '/console/locations', label: 'Locations', visible: (s) => s.can('directory.read') },
  { path: '/console/directory/syncs', label: 'Directory syncs', visible: (s) => s.can('directory.sync') },
  {
    path: '/console/tokens',
    label: 'API tokens',
    visible: (s) => s.can('tokens.manage') || s.can('scim.provision'),
  },
  { path: '/console/providers', label: 'Providers', visible: (s) => s.can('providers.manage') },
  { path: '/console/outbox', label: 'Outbox', visible: (s) => s.can('outbox.read') },
  { path: '/console/operators', label: 'Operators', visible: (s) => s.can('operators.read') },
  { path: '/console/audit', label: 'Audit log', visible: (s) => s.can('audit.read') },
];
