import type { AlertKind, AlertStatus, MessageContent, MessageType } from '../alerts/alerts.tables.js';
import type { AlertContent } from '../alerts/rendering/alert-content.js';
import type { PublicMessageRow } from './public-site.queries.js';
import { siteStatus, type SiteStatus } from './public-status.policy.js';

/** One message of a public alert: the original, an update or the all-clear. */
export interface PublicMessage {
  id: string;
  sequence: number;
  type: MessageType;
  sentAt: Date;
  content: MessageContent;
  /** The template it was written from ("Shelter in place", "All clear"). */
  templateName: string;
  cap: AlertContent['hazard']['cap'];
}

/** Where an alert stands for the public: still in force, over with an all-clear, or closed without one. */
export type PublicAlertState = 'active' | 'all_clear' | 'ended';

/** An alert as the public site shows it: no audience, no sender, no Clery record. */
export interface PublicAlert {
  id: string;
  kind: AlertKind;
  status: AlertStatus;
  hazard: string;
  /** The original message's template name: the alert's title everywhere. */
  title: string;
  createdAt: Date;
  closedAt: Date | null;
  acknowledgementRequested: boolean;
  onPage: boolean;
  onSignage: boolean;
  onCap: boolean;
  /** Oldest first. */
  messages: PublicMessage[];
  latest: PublicMessage;
  state: PublicAlertState;
  /** When the all-clear was sent, for alerts in that state. */
  allClearAt: Date | null;
  /** Every language any of its messages was written in. */
  languages: string[];
}

/** Everything the public site shows, loaded once per change. */
export interface PublicSite {
  /** Changes exactly when the data does (see publicFingerprint). */
  fingerprint: string;
  builtAt: Date;
  /** Newest first. */
  alerts: PublicAlert[];
  byId: Map<string, PublicAlert>;
  status: SiteStatus;
  /** The last time something public happened (a message or a close), or null when nothing ever did. */
  updatedAt: Date | null;
}

function stateOf(status: AlertStatus, latest: PublicMessage): PublicAlertState {
  if (latest.type === 'all_clear') return 'all_clear';
  if (status === 'closed' || latest.type === 'cancel') return 'ended';
  return 'active';
}

/** Group the message rows (newest alert first, messages in order) into alerts. */
export function publicAlertsOf(rows: readonly PublicMessageRow[]): PublicAlert[] {
  const alerts: PublicAlert[] = [];
  let current = null as PublicAlert | null;
  for (const row of rows) {
    const message: PublicMessage = {
      id: row.messageId,
      sequence: row.sequence,
      type: row.messageType,
      sentAt: row.sentAt,
      content: row.content,
      templateName: row.templateName,
      cap: row.cap,
    };
    if (current?.id !== row.alertId) {
      current = {
        id: row.alertId,
        kind: row.kind,
        status: row.status,
        hazard: row.hazard,
        title: row.templateName,
        createdAt: row.alertCreatedAt,
        closedAt: row.closedAt,
        acknowledgementRequested: row.acknowledgementRequested,
        onPage: row.channels.includes('public_page'),
        onSignage: row.channels.includes('signage'),
        onCap: row.channels.includes('cap') || row.channels.includes('public_page'),
        messages: [],
        latest: message,
        state: 'active',
        allClearAt: null,
        languages: [],
      };
      alerts.push(current);
    }
    current.messages.push(message);
  }
  for (const alert of alerts) {
    alert.latest = alert.messages[alert.messages.length - 1]!;
    alert.state = stateOf(alert.status, alert.latest);
    alert.allClearAt = alert.state === 'all_clear' ? alert.latest.sentAt : null;
    alert.languages = [...new Set(alert.messages.flatMap((m) => Object.keys(m.content)))];
  }
  return alerts;
}

/** The public site at `now` from the loaded rows. */
export function buildPublicSite(
  rows: readonly PublicMessageRow[],
  fingerprint: string,
  now: Date,
  allClearShownHours: number,
): PublicSite {
  const alerts = publicAlertsOf(rows);
  const times = alerts.flatMap((a) => [a.latest.sentAt.getTime(), a.closedAt?.getTime() ?? 0]);
  return {
    fingerprint,
    builtAt: now,
    alerts,
    byId: new Map(alerts.map((a) => [a.id, a])),
    status: siteStatus(alerts, now, allClearShownHours),
    updatedAt: times.length > 0 ? new Date(Math.max(...times)) : null,
  };
}
