import { useContext, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { SessionContext } from '../session/session-context';
import type { AlertTracking } from './alert-types';

/** How the dashboard is getting its numbers. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'final';

export interface TrackingState {
  tracking: AlertTracking | null;
  connection: Connection;
  /** Why the last poll failed, in words (null while the numbers are fresh). */
  error: string | null;
}

// While the stream is down: poll this often, and try a new stream this often when the browser
// has given up on the old one (a 4xx or 5xx answer closes an EventSource for good).
const pollMs = 3000;
const reopenMs = 10_000;

/**
 * An alert's tracking, live: the server-sent-events stream (EventSource sends the session
 * cookie) and, whenever it is not open, GET …/tracking every few seconds until it opens again.
 * Stops for good once the alert is closed. Starts over after the operator signs in again.
 */
export function useTracking(alertId: string): TrackingState {
  const [state, setState] = useState<TrackingState>({
    tracking: null,
    connection: 'connecting',
    error: null,
  });
  const signIns = useContext(SessionContext)?.generation ?? 0;

  useEffect(() => {
    let stopped = false;
    let source: EventSource | null = null;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | null = null;
    const path = `/api/v1/alerts/${alertId}/tracking`;

    const finish = (tracking?: AlertTracking) => {
      stopped = true;
      source?.close();
      if (pollTimer) clearInterval(pollTimer);
      if (reopenTimer) clearTimeout(reopenTimer);
      setState((s) => ({ tracking: tracking ?? s.tracking, connection: 'final', error: null }));
    };
    const poll = async () => {
      try {
        const tracking = await api<AlertTracking>(path);
        if (stopped) return;
        if (tracking.alert.status === 'closed') return finish(tracking);
        setState((s) => ({ ...s, tracking, error: null }));
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error: errorMessage(error) }));
      }
    };
    const startPolling = () => {
      setState((s) => ({ ...s, connection: 'reconnecting' }));
      if (pollTimer) return;
      void poll();
      pollTimer = setInterval(() => void poll(), pollMs);
    };
    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
    };
    const open = () => {
      reopenTimer = null;
      if (stopped) return;
      const stream = new EventSource(`${path}/stream`);
      source = stream;
      stream.addEventListener('open', () => {
        stopPolling();
        setState((s) => ({ ...s, connection: 'live', error: null }));
      });
      stream.addEventListener('tracking', (event) => {
        const tracking = JSON.parse((event as MessageEvent<string>).data) as AlertTracking;
        setState((s) => ({ ...s, tracking, connection: 'live', error: null }));
      });
      stream.addEventListener('end', () => finish());
      stream.addEventListener('error', () => {
        if (stopped) return;
        startPolling();
        // CONNECTING: the browser retries by itself. CLOSED: it gave up; try a new stream later.
        if (stream.readyState === EventSource.CLOSED && !reopenTimer)
          reopenTimer = setTimeout(open, reopenMs);
      });
    };
    open();
    return () => {
      stopped = true;
      source?.close();
      stopPolling();
      if (reopenTimer) clearTimeout(reopenTimer);
    };
  }, [alertId, signIns]);

  return state;
}
