import { useState } from 'react';
import { useApi } from '../../../api/use-api';
import { LoadState } from '../common/LoadState';
import { formatTime, plural } from '../../../common/format';

interface OutboxMessage {
  id: string;
  deliveryId: string;
  channel: string;
  address: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

const channels = [
  'sms',
  'voice',
  'email',
  'office_phones',
  'signage',
  'desktop',
  'x',
  'facebook',
  'cap',
  'webhook',
];
const pageSize = 50;
const maxLimit = 500;

/** What the outbox provider stored instead of sending, newest first, by channel. */
export function OutboxPage() {
  const [channel, setChannel] = useState('');
  const [limit, setLimit] = useState(pageSize);
  const query = new URLSearchParams({ limit: String(limit) });
  if (channel) query.set('channel', channel);
  const outbox = useApi<{ messages: OutboxMessage[] }>(`/api/v1/outbox?${query.toString()}`);
  return (
    <section>
      <h1>Outbox</h1>
      <p>
        Channels without a configured provider go to the outbox: each message is stored exactly as the channel
        would have carried it, and nothing leaves the machine.
      </p>
      <label htmlFor="outbox-channel">Channel</label>
      <select
        id="outbox-channel"
        value={channel}
        onChange={(e) => {
          setChannel(e.target.value);
          setLimit(pageSize);
        }}
      >
        <option value="">Every channel</option>
        {channels.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <button type="button" onClick={outbox.reload}>
        Refresh
      </button>
      <LoadState
        state={outbox}
        what="outbox"
        isEmpty={(d) => d.messages.length === 0}
        empty={channel ? `The outbox holds no ${channel} messages.` : 'The outbox is empty.'}
      >
        {(d) => (
          <>
            <p role="status">
              {d.messages.length === limit
                ? `The newest ${limit} messages`
                : plural(d.messages.length, 'message')}
              {channel ? ` on ${channel}` : ''}, newest first.
            </p>
            <ul className="message-list">
              {d.messages.map((m) => (
                <li key={m.id} className="panel">
                  <details>
                    <summary>
                      <span className="tag">{m.channel}</span> to <span className="wrap">{m.address}</span>
                      {m.subject ? `: ${m.subject}` : ''} — {formatTime(m.createdAt)}
                    </summary>
                    <dl className="pairs">
                      <div>
                        <dt>Address</dt>
                        <dd className="wrap">{m.address}</dd>
                      </div>
                      {m.subject && (
                        <div>
                          <dt>Subject</dt>
                          <dd>{m.subject}</dd>
                        </div>
                      )}
                      <div>
                        <dt>Stored</dt>
                        <dd>{formatTime(m.createdAt)}</dd>
                      </div>
                      <div>
                        <dt>Delivery</dt>
                        <dd>
                          <code className="wrap">{m.deliveryId}</code>
                        </dd>
                      </div>
                    </dl>
                    <h3 className="small-heading">Body</h3>
                    <pre className="message-body">{m.body}</pre>
                  </details>
                </li>
              ))}
            </ul>
            {d.messages.length === limit && limit < maxLimit && (
              <button type="button" onClick={() => setLimit((l) => Math.min(maxLimit, l + pageSize))}>
                Show older messages
              </button>
            )}
            {d.messages.length === maxLimit && (
              <p>The outbox shows at most the newest {maxLimit} messages.</p>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}
