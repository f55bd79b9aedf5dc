import type { AlertStatus, AlertTracking } from './alert-types';
import { messageWords, percent, textOf, timeOf, wordFor } from './alert-words';

/** How far one message's deliveries have gone, over all its channels. */
function doneOf(tracking: AlertTracking | null, messageId: string): string | null {
  const m = tracking?.messages.find((x) => x.id === messageId);
  if (!m || m.channels.length === 0) return null;
  const total = m.channels.reduce((s, c) => s + c.total, 0);
  const done = m.channels.reduce((s, c) => s + c.done, 0);
  return `${percent(total === 0 ? 1 : done / total)}% delivered`;
}

/** Every message of the alert in order: the alert, its updates and the all-clear, with who and when. */
export function Timeline({ alert, tracking }: { alert: AlertStatus; tracking: AlertTracking | null }) {
  return (
    <section aria-labelledby="al-timeline">
      <h2 id="al-timeline">Timeline</h2>
      <ol className="al-timeline">
        {alert.messages.map((m) => {
          const text = textOf(m.content);
          const progress = doneOf(tracking, m.id);
          return (
            <li key={m.id} className={`al-event al-event-${m.type}`}>
              <h3>
                {wordFor(messageWords, m.type)}
                {m.type === 'update' ? ` ${m.sequence}` : ''}
              </h3>
              <p className="al-when">
                <time dateTime={m.createdAt}>{timeOf(m.createdAt)}</time>, sent by {m.createdByName}
                {progress && ` · ${progress}`}
              </p>
              {text && m.type !== 'escalation' && (
                <dl className="al-text">
                  <dt>What</dt>
                  <dd>{text.what}</dd>
                  <dt>Where</dt>
                  <dd>{text.where}</dd>
                  <dt>Actions</dt>
                  <dd>{text.actions}</dd>
                </dl>
              )}
            </li>
          );
        })}
        {alert.closedAt && (
          <li className="al-event al-event-closed">
            <h3>Closed</h3>
            <p className="al-when">
              <time dateTime={alert.closedAt}>{timeOf(alert.closedAt)}</time>
              {alert.closeReason ? `: ${alert.closeReason}` : ''}
            </p>
          </li>
        )}
      </ol>
    </section>
  );
}
