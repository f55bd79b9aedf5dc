import { useState } from 'react';
import { Link } from 'react-router';
import type { ScheduleBody, ScheduleView } from '../../../src/alerts/schedules/schedules.schema';
import { api, errorMessage } from '../api/client';
import { sendBodyOf, type Draft } from './draft';

/** The send request a schedule holds: the draft's POST /api/v1/alerts body without the emergency record. */
function scheduledRequestOf(draft: Draft): ScheduleBody['send'] {
  const body = sendBodyOf(draft);
  delete body.confirmedBy;
  delete body.confirmationSource;
  delete body.confirmedAt;
  delete body.delayReason;
  delete body.delayDecidedBy;
  return body;
}

/**
 * For a test or exercise: send it later instead of now, once or every year on the same day and
 * time (the annual emergency-response test), from the review step.
 */
export function ScheduleSend({ draft }: { draft: Draft }) {
  const [at, setAt] = useState('');
  const [yearly, setYearly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<ScheduleView | null>(null);
  if (made)
    return (
      <p className="success" role="status">
        Scheduled for {made.firesAtLocal}. <Link to="/console/schedules">See the scheduled sends</Link>.
      </p>
    );
  async function schedule() {
    const firesAt = new Date(at);
    if (Number.isNaN(firesAt.getTime())) return setError('Choose the date and time to send it.');
    setBusy(true);
    setError(null);
    const body: ScheduleBody = {
      send: scheduledRequestOf(draft),
      firesAt: firesAt.toISOString(),
      // The server takes the day and time from firesAt in the institution's time zone.
      recurrence: yearly ? { everyMonths: 12 } : undefined,
    };
    try {
      setMade(await api<ScheduleView>('/api/v1/alert-schedules', { body }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <fieldset className="schedule-send">
      <legend>Or send it later</legend>
      <label htmlFor="schedule-at">Date and time</label>
      <input id="schedule-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
      <label>
        <input type="checkbox" checked={yearly} onChange={(e) => setYearly(e.target.checked)} /> Every year on
        this day and time
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" aria-disabled={busy || undefined} onClick={() => !busy && void schedule()}>
        {busy ? 'Scheduling…' : 'Schedule'}
      </button>
    </fieldset>
  );
}
