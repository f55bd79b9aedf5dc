import { useEffect, useState } from 'react';
import type {
  ProviderOverview,
  ProvidersOverview,
} from '../../../../../src/alerts/delivery/providers.schema';
import { useApi } from '../../../api/use-api';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime, plural } from '../../../common/format';
import { timeFromNow } from '../common/format';
import { CircuitBadge } from './CircuitBadge';

const refreshMs = 5000;

const channelNames: Record<string, string> = {
  sms: 'SMS',
  voice: 'Voice calls',
  email: 'Email',
  office_phones: 'Office phones (calls, paging servers)',
  public_page: 'Public emergency page',
  signage: 'Digital signage',
  desktop: 'Desktop alerts',
  x: 'X',
  facebook: 'Facebook',
  cap: 'CAP push',
  webhook: 'Webhooks',
};

function HealthFigures({ provider, now }: { provider: ProviderOverview; now: number }) {
  const h = provider.health;
  if (!h) return <p>No circuit change recorded: every worker has had it closed.</p>;
  return (
    <dl className="pairs">
      <div>
        <dt>Failures in a row at the last change</dt>
        <dd>{h.consecutiveFailures}</dd>
      </div>
      <div>
        <dt>Last change</dt>
        <dd>{timeFromNow(h.changedAt, now)}</dd>
      </div>
      {h.openedAt && (
        <div>
          <dt>Opened</dt>
          <dd>{formatTime(h.openedAt)}</dd>
        </div>
      )}
      {h.retryAt && (
        <div>
          <dt>Probe allowed</dt>
          <dd>
            {new Date(h.retryAt).getTime() > now
              ? timeFromNow(h.retryAt, now)
              : `since ${formatTime(h.retryAt)}: the next message is the probe`}
          </dd>
        </div>
      )}
      {h.lastError && (
        <div>
          <dt>Last error</dt>
          <dd>
            <code className="wrap">{h.lastError}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** What the provider has done lately, from every worker: does it work now? */
function ActivityFigures({ provider, now }: { provider: ProviderOverview; now: number }) {
  const a = provider.activity;
  if (!a) return <p>Nothing sent through it yet.</p>;
  return (
    <dl className="pairs">
      <div>
        <dt>Last answer that went through</dt>
        <dd>{timeFromNow(a.lastSuccessAt, now, 'none')}</dd>
      </div>
      <div>
        <dt>Last retryable failure</dt>
        <dd>{timeFromNow(a.lastFailureAt, now, 'none')}</dd>
      </div>
      {a.lastFailure && (
        <div>
          <dt>It said</dt>
          <dd>
            <code className="wrap">{a.lastFailure}</code>
          </dd>
        </div>
      )}
      <div>
        <dt>Since {formatTime(a.since)}</dt>
        <dd>
          {a.successes.toLocaleString()} went through, {a.failures.toLocaleString()} retryable{' '}
          {a.failures === 1 ? 'failure' : 'failures'}
        </dd>
      </div>
    </dl>
  );
}

function ProviderCard({ provider, now }: { provider: ProviderOverview; now: number }) {
  const titleId = `provider-${provider.name}`;
  return (
    <li className="panel provider" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {provider.name} <CircuitBadge health={provider.health} />
      </h3>
      <p>{provider.description}.</p>
      <dl className="pairs">
        <div>
          <dt>Channels</dt>
          <dd>{provider.channels.map((c) => channelNames[c] ?? c).join(', ')}</dd>
        </div>
        {provider.details.map((d) => (
          <div key={d.label}>
            <dt>{d.label}</dt>
            <dd className="wrap">{d.value}</dd>
          </div>
        ))}
      </dl>
      {provider.senders.length > 0 && (
        <>
          <h4>Senders</h4>
          <ul>
            {provider.senders.map((s) => (
              <li key={s.address}>
                <code>{s.address}</code>:{' '}
                {s.segmentsPerSecond === 0
                  ? 'not paced (the provider queues)'
                  : `${s.segmentsPerSecond} SMS segments per second per worker`}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Activity</h4>
      <ActivityFigures provider={provider} now={now} />
      <h4>Circuit</h4>
      <HealthFigures provider={provider} now={now} />
    </li>
  );
}

/** Each channel's providers in failover order, with their circuits at a glance. */
function FailoverTable({ overview }: { overview: ProvidersOverview }) {
  const byName = new Map(overview.providers.map((p) => [p.name, p]));
  return (
    <TableScroll label="Providers of each channel in failover order">
      <table>
        <caption className="visually-hidden">Providers of each channel in failover order</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Providers, first tried first</th>
          </tr>
        </thead>
        <tbody>
          {overview.channels.map((c) => (
            <tr key={c.channel}>
              <th scope="row">{channelNames[c.channel] ?? c.channel}</th>
              <td>
                <ol className="failover">
                  {c.providers.map((name) => (
                    <li key={name}>
                      <a href={`#provider-${name}`}>{name}</a>{' '}
                      <CircuitBadge health={byName.get(name)?.health ?? null} />
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Per channel, its providers in failover order with senders and circuit state; refreshed every 5 s. */
export function ProvidersPage() {
  const overview = useApi<ProvidersOverview>('/api/v1/providers');
  const { reload } = overview;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      reload();
      setNow(Date.now());
    }, refreshMs);
    return () => window.clearInterval(timer);
  }, [reload]);
  return (
    <section>
      <h1>Providers</h1>
      <LoadState state={overview} what="providers">
        {(o) => (
          <>
            <p>
              Refreshed every {refreshMs / 1000} seconds; last answer {formatTime(o.checkedAt)}. A circuit
              opens after {plural(o.circuit.failureThreshold, 'retryable failure')} in a row and sends nothing
              for {plural(o.circuit.openSeconds, 'second')} before one probe; meanwhile the channel's next
              provider takes the work.
            </p>
            <details className="panel">
              <summary>What these figures mean</summary>
              <p>{o.explanation}</p>
            </details>
            <h2>Failover order</h2>
            <FailoverTable overview={o} />
            <h2>Providers</h2>
            <ul className="provider-list">
              {o.providers.map((p) => (
                <ProviderCard key={p.name} provider={p} now={now} />
              ))}
            </ul>
          </>
        )}
      </LoadState>
    </section>
  );
}
