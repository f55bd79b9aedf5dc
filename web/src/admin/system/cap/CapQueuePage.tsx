import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime, plural } from '../../../common/format';
import type { CapFeedStatus } from '../../../../../src/alerts/inbound-cap/cap-feeds.types';
import { statusWords, type InboundCapSummary } from './cap-types';

type Page = { items: InboundCapSummary[]; nextBeforeSeq: string | null };
type Feeds = { pollSeconds: number; feeds: CapFeedStatus[] };

const healthWords: Record<CapFeedStatus['health'], string> = {
  waiting: 'Not polled yet',
  ok: 'Working',
  entry_errors: 'Working, some entries unreadable',
  failing: 'Failing',
  stale: 'Not being polled',
};

/** The configured feeds (TOCSIN_CAP_FEEDS) and how each is doing: a failing one means CAP is not arriving. */
function FeedTable({ feeds }: { feeds: Feeds }) {
  return (
    <TableScroll label="CAP feeds">
      <table>
        <caption className="visually-hidden">{`CAP feeds, polled every ${plural(feeds.pollSeconds, 'second')}`}</caption>
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">State</th>
            <th scope="col">Last polled</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {feeds.feeds.map((f) => (
            <tr key={f.url}>
              <td className="wrap">{f.url}</td>
              <td>
                <strong className={f.health === 'failing' || f.health === 'stale' ? 'error' : undefined}>
                  {healthWords[f.health]}
                </strong>
                <br />
                <span className="muted">{f.summary}</span>
              </td>
              <td>{formatTime(f.lastPolledAt)}</td>
              <td className="wrap">{f.lastError ? `${f.lastError} (${formatTime(f.lastErrorAt)})` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function CapTable({ items, caption }: { items: InboundCapSummary[]; caption: string }) {
  return (
    <TableScroll label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Sender</th>
            <th scope="col">Urgency, severity, certainty</th>
            <th scope="col">Area</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={`/console/cap/${m.id}`}>{m.event ?? m.headline ?? m.identifier}</Link>
                <br />
                <span className="muted">
                  {m.msgType}
                  {m.capStatus !== 'Actual' ? `, ${m.capStatus}` : ''}, received {formatTime(m.receivedAt)}
                </span>
              </td>
              <td className="wrap">{m.sender}</td>
              <td>{[m.urgency, m.severity, m.certainty].map((v) => v ?? '—').join(', ')}</td>
              <td>{m.areas.join('; ') || '—'}</td>
              <td>{formatTime(m.expiresAt)}</td>
              <td>{statusWords[m.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The inbound CAP queue: pending messages first, then everything received, newest first. */
export function CapQueuePage() {
  const pending = useApi<Page>('/api/v1/cap/inbound?status=pending&limit=200');
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const all = useApi<Page>(`/api/v1/cap/inbound?limit=50${before ? `&beforeSeq=${before}` : ''}`);
  const feeds = useApi<Feeds>('/api/v1/cap/feeds');
  return (
    <section>
      <h1>Inbound CAP</h1>
      <p>
        CAP alerts from outside systems (county or state alerting, the National Weather Service) wait here for
        an operator to relay them as a Tocsin alert or dismiss them.
      </p>
      <button
        type="button"
        onClick={() => {
          pending.reload();
          all.reload();
          feeds.reload();
        }}
      >
        Refresh
      </button>
      <h2>Waiting for an operator</h2>
      <LoadState
        state={pending}
        what="pending messages"
        isEmpty={(d) => d.items.length === 0}
        empty="Nothing is waiting."
      >
        {(d) => <CapTable items={d.items} caption="Pending CAP messages, newest first" />}
      </LoadState>
      <h2>Feeds</h2>
      <LoadState
        state={feeds}
        what="the feeds"
        isEmpty={(d) => d.feeds.length === 0}
        empty="No CAP feeds are configured (TOCSIN_CAP_FEEDS); CAP arrives only by POST."
      >
        {(d) => <FeedTable feeds={d} />}
      </LoadState>
      <h2>Everything received</h2>
      <LoadState
        state={all}
        what="messages"
        isEmpty={(d) => d.items.length === 0}
        empty="No CAP message has been received."
      >
        {(d) => (
          <>
            <CapTable items={d.items} caption="Every CAP message received, newest first" />
            {cursors.length > 0 && (
              <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer messages
              </button>
            )}
            {d.nextBeforeSeq && (
              <button type="button" onClick={() => setCursors((c) => [...c, d.nextBeforeSeq!])}>
                Older messages
              </button>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}
