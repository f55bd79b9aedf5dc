import type { AlertTracking } from './alert-types';
import { channelWords, count, deliveryStatusWords, percent, wordFor } from './alert-words';

/** Failed and suppressed deliveries grouped by reason, largest group first. */
export function Failures({ failures }: { failures: AlertTracking['failures'] }) {
  return (
    <section aria-labelledby="al-failures">
      <h2 id="al-failures">Failures and suppressions</h2>
      {failures.length === 0 ? (
        <p>None so far.</p>
      ) : (
        <table className="al-table">
          <caption className="visually-hidden">Failed and suppressed deliveries by reason</caption>
          <thead>
            <tr>
              <th scope="col">Count</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Example error</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={`${f.status}:${f.channel}:${f.reason}`}>
                <td data-label="Count">{count(f.count)}</td>
                <td data-label="Channel">{wordFor(channelWords, f.channel)}</td>
                <td data-label="Status">{wordFor(deliveryStatusWords, f.status)}</td>
                <td data-label="Reason">{f.reason.replaceAll('_', ' ')}</td>
                <td data-label="Example error" className="al-wrap">
                  {f.sampleError ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Counts per provider and sender (the outbox, Twilio, SMTP, …). */
export function Providers({ providers }: { providers: AlertTracking['providers'] }) {
  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="al-providers">
      <h2 id="al-providers">Providers</h2>
      <table className="al-table">
        <caption className="visually-hidden">Deliveries per provider and sender</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Sender</th>
            <th scope="col">Channel</th>
            <th scope="col">Done</th>
            <th scope="col">Delivered</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={`${p.provider ?? ''}:${p.sender ?? ''}:${p.channel}`}>
              <td data-label="Provider">
                {p.provider ?? (p.done === p.total ? 'none (not sent)' : 'not yet assigned')}
              </td>
              <td data-label="Sender" className="al-wrap">
                {p.sender ?? '—'}
              </td>
              <td data-label="Channel">{wordFor(channelWords, p.channel)}</td>
              <td data-label="Done">
                {count(p.done)} of {count(p.total)} ({percent(p.doneFraction)}%)
              </td>
              <td data-label="Delivered">{count(p.counts.delivered)}</td>
              <td data-label="Failed">{count(p.counts.permanent_failure + p.counts.technical_failure)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
