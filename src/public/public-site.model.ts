import type { AlertStatus } from '../alerts/alerts.tables.js';
import type { PublishedMessageRow } from '../alerts/published-messages.queries.js';
import type { PublicAlert, PublicAlertState, PublicMessage } from './public-alert.types.js';
import { siteStatus, type SiteStatus } from './public-status.policy.js';

/** Everything the public site shows, loaded once per change. */
export interface PublicSite {
  /** Changes exactly when the data does (see publishedMessagesFingerprint). */
  fingerprint: string;
  builtAt: Date;
  /** Newest first. */
  alerts: PublicAlert[];
  byId: Map<string, PublicAlert>;
  /** The page's status (alerts on the public page); its validUntil also covers `signage`'s. */
  status: SiteStatus;
  /** The same policy over the alerts sent to signage: what campus displays show. */
  signage: SiteStatus;
  /** The last time something public happened (a message or a close), or null when nothing ever did. */
  updatedAt: Date | null;
}

function stateOf(status: AlertStatus, latest: PublicMessage): PublicAlertState {
  if (latest.type === 'all_clear') return 'all_clear';
  if (status === 'closed' || latest.type === 'cancel') return 'ended';
  return 'active';
}

/** Group the message rows (newest alert first, messages in order) into alerts. */
function publicAlertsOf(rows: readonly PublishedMessageRow[]): PublicAlert[] {
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
  rows: readonly PublishedMessageRow[],
  fingerprint: string,
  now: Date,
  allClearShownHours: number,
): PublicSite {
  const alerts = publicAlertsOf(rows);
  const times = alerts.flatMap((a) => [a.latest.sentAt.getTime(), a.closedAt?.getTime() ?? 0]);
  const page = siteStatus(
    alerts.filter((a) => a.onPage),
    now,
    allClearShownHours,
  );
  const signage = siteStatus(
    alerts.filter((a) => a.onSignage),
    now,
    allClearShownHours,
  );
  // The cache reloads at validUntil: the first moment either view changes by the clock alone.
  const ends = [page.validUntil, signage.validUntil].filter((d): d is Date => d !== null);
  const validUntil = ends.length > 0 ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null;
  return {
    fingerprint,
    builtAt: now,
    alerts,
    byId: new Map(alerts.map((a) => [a.id, a])),
    status: { ...page, validUntil },
    signage,
    updatedAt: times.length > 0 ? new Date(Math.max(...times)) : null,
  };
}
