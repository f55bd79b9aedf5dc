import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import { useSession } from '../session/session-context';
import type { AlertHistoryPage, AlertHistoryRow } from './alert-types';
import { isDrill, kindWords, sendPermissionOf, statusWords, timeOf, wordFor } from './alert-words';
import './alerts.css';

/** One alert in force: what, where, since when; the dashboard, and the follow-ups its sender may send. */
function InForce({ alert }: { alert: AlertHistoryRow }) {
  const { can } = useSession();
  const dashboard = `/console/alerts/${alert.id}`;
  const name = `${alert.templateName}${alert.where ? `, ${alert.where}` : ''}`;
  // The links are named by what they do and described by the alert, so "Shelter in place" still
  // names one thing on the page: the template tile below.
  const nameId = `in-force-${alert.id}`;
  return (
    <li className="in-force">
      <p id={nameId}>
        <span className={`al-kind al-kind-${isDrill(alert.kind) ? 'drill' : alert.kind}`}>
          {wordFor(kindWords, alert.kind)}
        </span>{' '}
        <strong>{name}</strong>
        <span className="al-what">
          {wordFor(statusWords, alert.status)} since {timeOf(alert.sentAt ?? alert.createdAt)}
          {alert.latestMessageType !== 'alert' &&
            ` · latest: ${alert.latestMessageType.replaceAll('_', ' ')}`}
        </span>
      </p>
      <p className="in-force-actions">
        <Link to={dashboard} aria-describedby={nameId}>
          Open its dashboard
        </Link>
        {can(sendPermissionOf(alert.kind)) && (
          <>
            <Link to={`${dashboard}?follow-up=update`} aria-describedby={nameId}>
              Send an update
            </Link>
            <Link to={`${dashboard}?follow-up=all_clear`} aria-describedby={nameId}>
              Send the all-clear
            </Link>
          </>
        )}
      </p>
    </li>
  );
}

/**
 * The alerts in force (sending or sent, not closed), newest first, at the top of the start page
 * for operators who may read alerts: one click to each one's update or all-clear.
 */
export function AlertsInForce() {
  const { can } = useSession();
  const mayRead = can('alerts.read');
  const sending = useApi<AlertHistoryPage>(mayRead ? '/api/v1/alerts?status=sending&limit=25' : null);
  const sent = useApi<AlertHistoryPage>(mayRead ? '/api/v1/alerts?status=sent&limit=25' : null);
  if (!mayRead) return null;
  const error = sending.error ?? sent.error;
  const alerts = [...(sending.data?.alerts ?? []), ...(sent.data?.alerts ?? [])].sort((a, b) =>
    (b.sentAt ?? b.createdAt).localeCompare(a.sentAt ?? a.createdAt),
  );
  return (
    <section className="panel in-force-list" aria-labelledby="in-force-heading">
      <h2 id="in-force-heading">Alerts in force</h2>
      {error ? (
        <p className="error" role="alert">
          The alerts in force could not be loaded: {error}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              sending.reload();
              sent.reload();
            }}
          >
            Try again
          </button>
        </p>
      ) : !sending.data || !sent.data ? (
        <p className="al-loading">Loading the alerts in force…</p>
      ) : alerts.length === 0 ? (
        <p className="al-empty">No alert is in force.</p>
      ) : (
        <ul>
          {alerts.map((a) => (
            <InForce key={a.id} alert={a} />
          ))}
        </ul>
      )}
    </section>
  );
}
