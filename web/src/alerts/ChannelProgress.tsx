import type { AlertTracking, ChannelTracking } from './alert-types';
import { plural } from '../common/format';
import { channelWords, count, duration, messageWords, percent, rate, timeOf, wordFor } from './alert-words';

type Message = AlertTracking['messages'][number];

/** Whether a message has found all its recipients (a closed alert finds no more). */
function fannedOut(m: Message, tracking: AlertTracking): boolean {
  return m.fannedOut || tracking.alert.status === 'closed';
}

/** Deliveries still in Tocsin's hands, failed for good, and set aside. */
function groups(c: ChannelTracking) {
  const n = c.counts;
  return {
    pending: n.created + n.queued + n.sending + n.temporary_failure,
    retrying: n.temporary_failure,
    failed: n.permanent_failure + n.technical_failure,
    suppressed: n.suppressed,
    cancelled: n.cancelled,
  };
}

function Latency({ label, value }: { label: string; value: ChannelTracking['latencyMs']['accepted'] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {value
          ? `p50 ${duration(value.p50)} · p90 ${duration(value.p90)} · p99 ${duration(value.p99)}`
          : 'none yet'}
      </dd>
    </>
  );
}

/** One channel of one message: its bar with the percentage in words, counts, rate and latency. */
function ChannelCard({
  message,
  channel,
  found,
}: {
  message: Message;
  channel: ChannelTracking;
  found: boolean;
}) {
  const id = `al-ch-${message.sequence}-${channel.channel}`;
  const g = groups(channel);
  const pct = percent(channel.doneFraction);
  return (
    <li className="al-channel">
      <h4 id={`${id}-name`}>{wordFor(channelWords, channel.channel)}</h4>
      {found ? (
        <>
          <p className="al-percent" id={`${id}-text`}>
            <strong>{pct}%</strong> done: {count(channel.done)} of {count(channel.total)}
          </p>
          <progress
            className={pct === 100 ? 'al-bar al-bar-done' : 'al-bar'}
            max={Math.max(channel.total, 1)}
            value={channel.total === 0 ? 1 : channel.done}
            aria-labelledby={`${id}-name`}
            aria-describedby={`${id}-text`}
          />
        </>
      ) : (
        <p className="al-finding" id={`${id}-text`}>
          Still finding recipients: {plural(channel.total, 'delivery', 'deliveries')} so far
        </p>
      )}
      <dl className="al-counts">
        <dt>Delivered</dt>
        <dd>{count(channel.counts.delivered - channel.inOutbox)}</dd>
        {channel.inOutbox > 0 && (
          <>
            <dt>In the outbox (not sent to a network)</dt>
            <dd>{count(channel.inOutbox)}</dd>
          </>
        )}
        <dt>Sent (awaiting receipt)</dt>
        <dd>{count(channel.counts.sent)}</dd>
        <dt>Failed</dt>
        <dd>{count(g.failed)}</dd>
        <dt>Suppressed</dt>
        <dd>{count(g.suppressed)}</dd>
        {g.cancelled > 0 && (
          <>
            <dt>Cancelled</dt>
            <dd>{count(g.cancelled)}</dd>
          </>
        )}
        <dt>Pending</dt>
        <dd>
          {count(g.pending)}
          {g.retrying > 0 && ` (${count(g.retrying)} retrying)`}
        </dd>
      </dl>
      <dl className="al-speed">
        <dt>Throughput</dt>
        <dd>
          {rate(channel.throughput.last5s)} now · {rate(channel.throughput.overall)} overall
        </dd>
        <Latency label="Time to provider" value={channel.latencyMs.accepted} />
        <Latency label="Time to delivery" value={channel.latencyMs.delivered} />
      </dl>
    </li>
  );
}

/** Every message's delivery per channel, the newest message first. */
export function ChannelProgress({ tracking }: { tracking: AlertTracking }) {
  const messages = [...tracking.messages].reverse();
  const t = tracking.totals;
  // Until every message has found its recipients the total is still growing: no percentage yet.
  const finding = tracking.messages.some((m) => !fannedOut(m, tracking));
  return (
    <section aria-labelledby="al-delivery">
      <h2 id="al-delivery">Delivery</h2>
      {finding ? (
        <p className="al-total" id="al-total-text">
          All messages: still finding recipients, {plural(t.total, 'delivery', 'deliveries')} so far ·{' '}
          {rate(t.throughput.last5s)} now
        </p>
      ) : (
        <>
          <p className="al-total" id="al-total-text">
            All messages: <strong>{percent(t.doneFraction)}%</strong> done, {count(t.done)} of{' '}
            {plural(t.total, 'delivery', 'deliveries')} · {rate(t.throughput.last5s)} now
          </p>
          <progress
            className={percent(t.doneFraction) === 100 ? 'al-bar al-bar-done' : 'al-bar'}
            max={Math.max(t.total, 1)}
            value={t.total === 0 ? 1 : t.done}
            aria-label="All deliveries"
            aria-describedby="al-total-text"
          />
        </>
      )}
      {messages.map((m) => (
        <section key={m.id} aria-labelledby={`al-msg-${m.sequence}`}>
          <h3 id={`al-msg-${m.sequence}`}>
            {wordFor(messageWords, m.type)}
            {m.sequence > 0 && m.type === 'update' ? ` ${m.sequence}` : ''}, sent {timeOf(m.createdAt)}
          </h3>
          {m.channels.length === 0 ? (
            <p>
              {fannedOut(m, tracking)
                ? 'This message has no deliveries.'
                : 'Finding recipients… deliveries appear here as they are created.'}
            </p>
          ) : (
            <ul className="al-channels">
              {m.channels.map((c) => (
                <ChannelCard key={c.channel} message={m} channel={c} found={fannedOut(m, tracking)} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </section>
  );
}
