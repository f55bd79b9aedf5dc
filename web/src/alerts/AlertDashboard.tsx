import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useSession } from '../session/session-context';
import { Acknowledgements } from './Acknowledgements';
import { AlertHeader } from './AlertHeader';
import type { AlertStatus, AlertTracking } from './alert-types';
import { sendPermissionOf, timeOf } from './alert-words';
import { ChannelProgress } from './ChannelProgress';
import { CloseAlert } from './CloseAlert';
import { Failures, Providers } from './DeliveryDetails';
import { FollowUpForm } from './FollowUpForm';
import { AudienceMap } from '../map/MapDisclosure';
import { milestones } from './milestones';
import { ReachPanel } from './ReachPanel';
import { Reports } from './Reports';
import { Timeline } from './Timeline';
import { usePageTitle } from './use-page-title';
import { useTracking } from './use-tracking';
import './alerts.css';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Milestones of the tracking as one polite announcement; first snapshot silent. */
function useMilestones(tracking: AlertTracking | null): string {
  const [said, setSaid] = useState('');
  const previous = useRef<AlertTracking | null>(null);
  const announced = useRef(new Set<string>());
  useEffect(() => {
    if (!tracking || tracking === previous.current) return;
    const words = milestones(previous.current, tracking, announced.current);
    previous.current = tracking;
    if (words.length > 0) setSaid(words.join(' '));
  }, [tracking]);
  return said;
}

/** Reload the alert when the tracking shows a message or a status it does not have yet. */
function useFollowTracking(alert: ReturnType<typeof useApi<AlertStatus>>, tracking: AlertTracking | null) {
  const asked = useRef('');
  const { data, reload } = alert;
  useEffect(() => {
    if (!tracking || !data) return;
    const key = `${tracking.messages.length}:${tracking.alert.status}`;
    const behind = tracking.messages.length > data.messages.length || tracking.alert.status !== data.status;
    if (behind && asked.current !== key) {
      asked.current = key;
      reload();
    }
  }, [tracking, data, reload]);
}

/** /console/alerts/:id: everything about one alert while it goes out, live. */
export function AlertDashboard() {
  const { id = '' } = useParams();
  if (!uuid.test(id))
    return (
      <section>
        <h1>No such alert</h1>
        <p>
          “{id}” is not an alert id. <Link to="/console/alerts">Find the alert in the history</Link>.
        </p>
      </section>
    );
  return <Dashboard key={id} id={id.toLowerCase()} />;
}

/** The follow-up the start page asked for (?follow-up=update or all_clear), and focus on its form once shown. */
function useRequestedFollowUp(shown: boolean): 'update' | 'all_clear' | undefined {
  const [params] = useSearchParams();
  const asked = params.get('follow-up');
  const type = asked === 'update' || asked === 'all_clear' ? asked : undefined;
  const done = useRef(false);
  useEffect(() => {
    if (!type || !shown || done.current) return;
    done.current = true;
    const field = document.getElementById('al-fu-what');
    field?.scrollIntoView({ block: 'center' });
    field?.focus();
  }, [type, shown]);
  return type;
}

function Dashboard({ id }: { id: string }) {
  const { can } = useSession();
  const alert = useApi<AlertStatus>(`/api/v1/alerts/${id}`);
  const live = useTracking(id);
  const said = useMilestones(live.tracking);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  useFollowTracking(alert, live.tracking);
  const status0 = live.tracking?.alert.status ?? alert.data?.status;
  const requested = useRequestedFollowUp(
    Boolean(alert.data) &&
      can(sendPermissionOf(alert.data?.kind ?? '')) &&
      status0 !== 'closed' &&
      status0 !== 'draft',
  );
  usePageTitle(alert.data ? `${alert.data.templateName} (alert)` : 'Alert');

  if (!alert.data)
    return alert.error ? (
      <section>
        <h1>Alert</h1>
        <div className="error" role="alert">
          <p>The alert could not be loaded: {alert.error}</p>
          <button type="button" onClick={alert.reload}>
            Try again
          </button>
        </div>
      </section>
    ) : (
      <p className="loading" role="status">
        Loading the alert…
      </p>
    );

  const data = alert.data;
  const tracking = live.tracking;
  const status = tracking?.alert.status ?? data.status;
  const maySend = can(sendPermissionOf(data.kind));
  const mayFollowUp = maySend && status !== 'closed' && status !== 'draft';
  const afterChange = (words: string) => {
    setNotice(words);
    alert.reload();
  };
  return (
    <article className="al-dashboard">
      <p className="al-back">
        <Link to="/console/alerts">All alerts</Link>
      </p>
      <div role="status" aria-live="polite" className="visually-hidden">
        {said}
      </div>
      <AlertHeader alert={data} status={status} connection={live.connection} stale={live.error} />
      {/* The controls first: an update or the all-clear is reachable without scrolling past the figures. */}
      <p ref={noticeRef} tabIndex={-1} role="status" className={notice ? 'notice' : 'visually-hidden'}>
        {notice}
      </p>
      {mayFollowUp && (
        <FollowUpForm key={requested} alert={data} onSent={afterChange} initialType={requested} />
      )}
      {maySend && can('alerts.close') && <CloseAlert alert={data} status={status} onClosed={afterChange} />}
      {tracking ? (
        <ChannelProgress tracking={tracking} />
      ) : (
        <p className="loading">Loading delivery figures…</p>
      )}
      {tracking && <Failures failures={tracking.failures} />}
      {tracking && <Acknowledgements answers={tracking.acknowledgements} />}
      <ReachPanel
        alertId={id}
        mayReadPeople={can('directory.read')}
        maySend={mayFollowUp}
        onSent={afterChange}
      />
      <Timeline alert={data} tracking={tracking} />
      <AudienceMap audience={data.audience} />
      {tracking && <Providers providers={tracking.providers} />}
      <Reports alertId={id} mayReadPeople={can('directory.read')} />
      <section aria-labelledby="al-record">
        <h2 id="al-record">Emergency-notification record</h2>
        <dl className="al-text">
          <dt>Confirmed by</dt>
          <dd>{data.record.confirmedBy ?? '—'}</dd>
          <dt>Source</dt>
          <dd>{data.record.confirmationSource ?? '—'}</dd>
          <dt>Confirmed at</dt>
          <dd>{timeOf(data.record.confirmedAt)}</dd>
          <dt>Audience</dt>
          <dd>{data.audienceReason}</dd>
          {data.record.delayReason && (
            <>
              <dt>Delay reason</dt>
              <dd>
                {data.record.delayReason.replaceAll('_', ' ')} (decided by {data.record.delayDecidedBy})
              </dd>
            </>
          )}
        </dl>
      </section>
    </article>
  );
}
