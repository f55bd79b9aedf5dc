import { useState } from 'react';
import { Link } from 'react-router';
import type { ScheduleList, ScheduleView } from '../../../src/alerts/schedules/schedules.schema';
import { api, errorMessage } from '../api/client';
import { useApi } from '../api/use-api';
import { useSession } from '../session/session-context';
import { formatTime } from '../common/format';
import { channelWords, wordFor } from './alert-words';
import { usePageTitle } from './use-page-title';

const statusWords: Record<ScheduleView['status'], string> = {
  scheduled: 'Scheduled',
  sent: 'Sent',
  cancelled: 'Cancelled',
  failed: 'Failed: not sent',
};

function recurrenceText(s: ScheduleView): string {
  const r = s.recurrence;
  if (!r) return 'Once';
  const every =
    r.everyMonths === 12 ? 'Every year' : `Every ${r.everyMonths} month${r.everyMonths === 1 ? '' : 's'}`;
  return `${every}, on day ${r.dayOfMonth} at ${r.time} (${s.timeZone})`;
}

function ScheduleItem({ s, onCancel }: { s: ScheduleView; onCancel: (() => void) | null }) {
  const reminders = s.notices.filter((n) => n.kind === 'reminder');
  return (
    <li className="panel">
      <h2>
        {s.kind === 'test' ? 'Test' : 'Exercise'}: {s.templateName} — {s.send.where}
      </h2>
      <dl className="summary">
        <dt>Status</dt>
        <dd>
          {statusWords[s.status]}
          {s.failureReason ? ` (${s.failureReason})` : ''}
          {s.cancelledBy ? ` by ${s.cancelledBy}` : ''}
          {s.alertId && (
            <>
              {' '}
              <Link to={`/console/alerts/${s.alertId}`}>See the alert</Link>
            </>
          )}
        </dd>
        <dt>When</dt>
        <dd>{s.firesAtLocal}</dd>
        <dt>Repeats</dt>
        <dd>{recurrenceText(s)}</dd>
        <dt>Audience</dt>
        <dd>{s.send.audienceReason}</dd>
        <dt>Channels</dt>
        <dd>{s.send.channels.map((c) => wordFor(channelWords, c)).join(', ')}</dd>
        <dt>Scheduled by</dt>
        <dd>{s.scheduledBy}</dd>
        {reminders.length > 0 && (
          <>
            <dt>Reminders</dt>
            <dd>{reminders.map((n) => `${formatTime(n.dueAt)} (${n.status})`).join('; ')}</dd>
          </>
        )}
      </dl>
      {onCancel && (
        <button type="button" className="danger" onClick={onCancel}>
          Cancel this send
        </button>
      )}
    </li>
  );
}

/** Scheduled test and exercise alerts: those still to come first, with Cancel; then the rest. */
export function SchedulesPage() {
  usePageTitle('Scheduled sends');
  const session = useSession();
  const list = useApi<ScheduleList>('/api/v1/alert-schedules');
  const [error, setError] = useState<string | null>(null);
  async function cancel(s: ScheduleView) {
    if (!window.confirm(`Cancel the ${s.kind} scheduled for ${s.firesAtLocal}? Nothing will be sent.`))
      return;
    setError(null);
    try {
      await api(`/api/v1/alert-schedules/${s.id}`, { method: 'DELETE' });
    } catch (e) {
      setError(errorMessage(e));
    }
    list.reload();
  }
  const mayCancel = session.can('alerts.send.test');
  return (
    <section className="schedules">
      <h1>Scheduled sends</h1>
      <p>
        Test and exercise alerts sent at a set time with nobody at the keyboard, each recorded in the
        emergency-response test register. Schedule one from the review step of a test or exercise.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list.error && (
        <p className="error" role="alert">
          Could not load the scheduled sends: {list.error}
        </p>
      )}
      {list.data && list.data.schedules.length === 0 && <p>Nothing is scheduled.</p>}
      {list.data && (
        <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
          {list.data.schedules.map((s) => (
            <ScheduleItem
              key={s.id}
              s={s}
              onCancel={mayCancel && s.status === 'scheduled' ? () => void cancel(s) : null}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
