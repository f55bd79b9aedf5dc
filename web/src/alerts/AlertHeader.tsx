import type { AlertStatus } from './alert-types';
import { isDrill, kindWords, statusWords, textOf, timeOf, wordFor } from './alert-words';
import type { Connection } from './use-tracking';

const connectionWords: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting (updating every few seconds)',
  final: 'Final figures',
};

/** The kind in a badge: tests and exercises in capitals, real alerts in the danger colour. */
export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className={`al-kind al-kind-${isDrill(kind) ? 'drill' : kind}`}>{wordFor(kindWords, kind)}</span>
  );
}

/**
 * The alert's header: kind, template, status, how fresh the numbers are, and what the latest
 * message says (what, where, actions).
 */
export function AlertHeader({
  alert,
  status,
  connection,
  stale,
}: {
  alert: AlertStatus;
  status: string;
  connection: Connection;
  stale: string | null;
}) {
  const latest = alert.messages.filter((m) => m.type !== 'escalation').at(-1);
  const text = textOf(latest?.content);
  return (
    <header className="al-header">
      {isDrill(alert.kind) && (
        <p className="al-drill">
          {alert.kind === 'test' ? 'TEST' : 'EXERCISE'}: this alert was sent as a drill and says so to every
          recipient.
        </p>
      )}
      <h1>
        <KindBadge kind={alert.kind} /> {alert.templateName}
      </h1>
      <dl className="al-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`al-status al-status-${status}`}>{wordFor(statusWords, status)}</span>
          </dd>
        </div>
        <div>
          <dt>Updates</dt>
          <dd>
            <span className={`al-connection al-connection-${connection}`}>{connectionWords[connection]}</span>
          </dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>
            {timeOf(alert.record.initiatedAt ?? alert.createdAt)} by {alert.sentByName ?? 'unknown'}
          </dd>
        </div>
        {alert.closedAt && (
          <div>
            <dt>Closed</dt>
            <dd>
              {timeOf(alert.closedAt)}
              {alert.closeReason ? ` (${alert.closeReason})` : ''}
            </dd>
          </div>
        )}
      </dl>
      {stale && (
        <p className="warning" role="alert">
          The latest figures could not be loaded: {stale} The numbers below may be behind.
        </p>
      )}
      {text && (
        <dl className="al-text">
          <dt>What</dt>
          <dd>{text.what}</dd>
          <dt>Where</dt>
          <dd>{text.where}</dd>
          <dt>Actions</dt>
          <dd>{text.actions}</dd>
        </dl>
      )}
    </header>
  );
}
