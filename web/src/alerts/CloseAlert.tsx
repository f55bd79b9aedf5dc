import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../api/client';
import type { AlertStatus } from './alert-types';

/**
 * Close the alert: after its all-clear, or with the reason for closing without one (the server
 * requires it). Only a sent alert, every message out, can be closed.
 */
export function CloseAlert({
  alert,
  status,
  onClosed,
}: {
  alert: AlertStatus;
  status: string;
  onClosed: (words: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const hasAllClear = alert.messages.some((m) => m.type === 'all_clear');

  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  if (status === 'closed') return null;
  const review = (event: FormEvent) => {
    event.preventDefault();
    if (!hasAllClear && !reason.trim()) {
      setError('No all-clear was sent: give the reason for closing without one.');
      return;
    }
    setError(null);
    setConfirming(true);
  };
  const close = async () => {
    setClosing(true);
    setError(null);
    try {
      await api(`/api/v1/alerts/${alert.id}/close`, { body: reason.trim() ? { reason: reason.trim() } : {} });
      onClosed('The alert is closed.');
    } catch (e) {
      setError(errorMessage(e));
      setConfirming(false);
    } finally {
      setClosing(false);
    }
  };

  return (
    <section aria-labelledby="al-close">
      <h2 id="al-close">Close the alert</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status !== 'sent' ? (
        <p>The alert can be closed once every message is out.</p>
      ) : confirming ? (
        <div className="al-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Close this alert now?
          </h3>
          <p>No more updates can be sent once it is closed.{reason.trim() && ` Reason: ${reason.trim()}`}</p>
          <button type="button" className="danger" disabled={closing} onClick={() => void close()}>
            {closing ? 'Closing…' : 'Close the alert now'}
          </button>
          <button type="button" disabled={closing} onClick={() => setConfirming(false)}>
            Keep it open
          </button>
        </div>
      ) : (
        <form onSubmit={review} noValidate>
          <label htmlFor="al-close-reason">
            Reason {hasAllClear ? '(optional: the all-clear was sent)' : '(required: no all-clear was sent)'}
          </label>
          <textarea
            id="al-close-reason"
            value={reason}
            maxLength={1000}
            aria-required={!hasAllClear}
            onChange={(e) => setReason(e.target.value)}
          />
          <div>
            <button type="submit">Close the alert…</button>
          </div>
        </form>
      )}
    </section>
  );
}
