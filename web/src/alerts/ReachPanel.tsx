import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { plural } from '../common/format';
import { useApi } from '../api/use-api';
import type { AlertReach, ResendResult, UnreachedPerson } from './alert-types';
import { channelWords, count, deliveryStatusWords, wordFor } from './alert-words';

const stateWords: Record<string, string> = {
  pending: 'still being tried',
  failed: 'failed',
  suppressed: 'suppressed',
  reached: 'reached',
  outbox: 'in the outbox (not sent to a network)',
};

function Unreached({ people }: { people: UnreachedPerson[] }) {
  if (people.length === 0) return <p className="al-empty">Everyone has been reached.</p>;
  return (
    <table className="al-table">
      <caption className="visually-hidden">People not reached, and why per address</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Why, per address</th>
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.personId}>
            <td data-label="Person">{p.name ?? p.personId}</td>
            <td data-label="Why">
              <ul className="al-reasons">
                {p.addresses.map((a) => (
                  <li key={`${a.channel}:${a.address}`}>
                    {wordFor(channelWords, a.channel)} {a.address}: {wordFor(stateWords, a.state)}
                    {a.state === 'outbox'
                      ? ''
                      : ` (${wordFor(deliveryStatusWords, a.status)}${a.reason ? `: ${a.reason}` : ''})`}
                    {a.willResend ? ' — re-sent by “Re-send”' : ''}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The re-send button with its confirmation; one request id per confirmed click. */
function Resend({
  alertId,
  reach,
  onSent,
}: {
  alertId: string;
  reach: AlertReach;
  onSent: (words: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const requestId = useRef<string | null>(null);
  useEffect(() => {
    if (confirming) heading.current?.focus();
  }, [confirming]);
  if (reach.totals.resendable === 0) return <p>Nobody unreached has an address worth trying again now.</p>;
  const send = async () => {
    setSending(true);
    setError(null);
    // The same id if this click's request is retried after a network error: the server sends once.
    requestId.current ??= crypto.randomUUID();
    try {
      const result = await api<ResendResult>(`/api/v1/alerts/${alertId}/reach/resend`, {
        body: { requestId: requestId.current, messageId: reach.message.id },
      });
      requestId.current = null;
      setConfirming(false);
      onSent(
        `Re-sent to ${plural(result.people, 'person', 'people')} (${plural(result.deliveries, 'delivery', 'deliveries')}, round ${result.round}).`,
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {confirming ? (
        <div className="al-confirm">
          <h3 ref={heading} tabIndex={-1}>
            Re-send to {plural(reach.totals.resendable, 'unreached person', 'unreached people')} now?
          </h3>
          <p>
            Only addresses whose delivery failed for technical reasons (a provider’s trouble) or was cancelled
            are tried again; not a number or mailbox that failed permanently, not a suppressed or opted-out
            address, not one still being tried.
          </p>
          <button type="button" className="danger" disabled={sending} onClick={() => void send()}>
            {sending ? 'Re-sending…' : 'Re-send now'}
          </button>
          <button type="button" disabled={sending} onClick={() => setConfirming(false)}>
            Do not re-send
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Re-send to the unreached…
        </button>
      )}
    </div>
  );
}

/**
 * Who the alert's latest message has reached and who not: counts per channel for every reader;
 * the unreached people (a page at a time) for readers of people; re-sending for its senders.
 */
export function ReachPanel({
  alertId,
  mayReadPeople,
  maySend,
  onSent,
}: {
  alertId: string;
  mayReadPeople: boolean;
  maySend: boolean;
  onSent: (words: string) => void;
}) {
  const [after, setAfter] = useState<string[]>([]);
  const page = after.length > 0 ? `&after=${after[after.length - 1]}` : '';
  // Loaded on request, not with every tracking tick: each read of the list is an audited read of people.
  const reach = useApi<AlertReach>(`/api/v1/alerts/${alertId}/reach?limit=25${page}`);
  const r = reach.data;
  return (
    <section aria-labelledby="al-reach">
      <h2 id="al-reach">Who has not been reached</h2>
      {reach.error && (
        <p className="error" role="alert">
          The reach could not be loaded: {reach.error}
        </p>
      )}
      {!r ? (
        !reach.error && <p className="al-loading">Loading who has been reached…</p>
      ) : (
        <>
          <p>
            {wordFor({ alert: 'The alert', update: 'Update', all_clear: 'The all-clear' }, r.message.type)}
            {r.message.sequence > 0 && r.message.type === 'update' ? ` ${r.message.sequence}` : ''}:
          </p>
          <ul className="al-reach-totals">
            <li>{count(r.totals.reached)} reached</li>
            <li>{count(r.totals.pending)} not yet (still being tried)</li>
            {r.totals.inOutbox > 0 && (
              <li>{count(r.totals.inOutbox)} in the outbox (not sent to a network)</li>
            )}
            <li>{count(r.totals.failed)} not reached</li>
            <li>of {plural(r.totals.people, 'person', 'people')}</li>
            <li>
              <button type="button" className="link-button" disabled={reach.loading} onClick={reach.reload}>
                {reach.loading ? 'Refreshing…' : 'Refresh'}
              </button>
            </li>
          </ul>
          {maySend && r.totals.failed + r.totals.pending > 0 && (
            <Resend
              alertId={alertId}
              reach={r}
              onSent={(words) => {
                onSent(words);
                setAfter([]);
                reach.reload();
              }}
            />
          )}
          {mayReadPeople && r.unreached && <Unreached people={r.unreached.people} />}
          {mayReadPeople && r.unreached && (after.length > 0 || r.unreached.nextAfter) && (
            <p className="al-pager">
              {after.length > 0 && (
                <button type="button" className="link-button" onClick={() => setAfter(after.slice(0, -1))}>
                  Previous people
                </button>
              )}
              {r.unreached.nextAfter && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setAfter([...after, r.unreached!.nextAfter!])}
                >
                  More people
                </button>
              )}
            </p>
          )}
        </>
      )}
    </section>
  );
}
