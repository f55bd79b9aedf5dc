import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { LoadState } from '../common/LoadState';
import { formatTime } from '../../../common/format';
import { RelayDialog } from './RelayDialog';
import { statusWords, type CapInfoView, type InboundCapMessage } from './cap-types';

function Info({ info }: { info: CapInfoView }) {
  const facts: Array<[string, string | undefined]> = [
    ['Event', info.event],
    ['Urgency', info.urgency],
    ['Severity', info.severity],
    ['Certainty', info.certainty],
    ['Category', info.categories.join(', ')],
    ['From', info.senderName],
    ['Effective', info.effective && formatTime(info.effective)],
    ['Onset', info.onset && formatTime(info.onset)],
    ['Expires', info.expires && formatTime(info.expires)],
    ['Area', info.areas.map((a) => a.areaDesc).join('; ')],
    ['More information', info.web],
  ];
  return (
    <div className="panel" lang={info.language}>
      <h3>{info.headline ?? info.event}</h3>
      <dl className="pairs">
        {facts
          .filter(([, v]) => v)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd className="wrap">{value}</dd>
            </div>
          ))}
      </dl>
      {info.description && (
        <>
          <h4>Description</h4>
          <p>{info.description}</p>
        </>
      )}
      {info.instruction && (
        <>
          <h4>Instruction</h4>
          <p>{info.instruction}</p>
        </>
      )}
    </div>
  );
}

function DismissForm({ message, onDismissed }: { message: InboundCapMessage; onDismissed: () => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function dismiss() {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/cap/inbound/${message.id}/dismiss`, {
        method: 'POST',
        body: { reason: reason.trim() },
      });
      setConfirming(false);
      onDismissed();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) setConfirming(true);
        else setError('Say why it is dismissed: the reason is kept with the message.');
      }}
    >
      <label htmlFor="dismiss-reason">Reason for dismissing</label>
      <textarea
        id="dismiss-reason"
        value={reason}
        maxLength={1000}
        aria-describedby={error && !confirming ? 'dismiss-error' : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && !confirming && (
        <p id="dismiss-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit">Dismiss…</button>
      {confirming && (
        <ConfirmDialog
          title="Dismiss this CAP message?"
          confirmLabel="Dismiss message"
          danger
          busy={busy}
          error={error}
          onConfirm={() => void dismiss()}
          onCancel={() => setConfirming(false)}
        >
          <p>Nothing is sent. The message is set aside with your reason: “{reason.trim()}”.</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** One inbound CAP message: its content, then Relay (one action, confirmed) or Dismiss (with a reason). */
export function CapMessagePage() {
  const { id = '' } = useParams();
  const message = useApi<InboundCapMessage>(`/api/v1/cap/inbound/${id}`);
  const [relaying, setRelaying] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section>
      <p>
        <Link to="/console/cap">Inbound CAP queue</Link>
      </p>
      <LoadState state={message} what="CAP message">
        {(m) => (
          <>
            <h1>{m.headline ?? m.event ?? m.identifier}</h1>
            {notice && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
            <dl className="pairs">
              <div>
                <dt>State</dt>
                <dd>
                  {statusWords[m.status]}
                  {m.handledBy ? ` by ${m.handledBy}, ${formatTime(m.handledAt)}` : ''}
                  {m.dismissReason ? `: “${m.dismissReason}”` : ''}
                  {m.alertId && (
                    <>
                      {' '}
                      (<Link to={`/console/alerts/${m.alertId}`}>the alert</Link>)
                    </>
                  )}
                </dd>
              </div>
              <div>
                <dt>Sender</dt>
                <dd className="wrap">{m.sender}</dd>
              </div>
              <div>
                <dt>Message</dt>
                <dd className="wrap">
                  {m.msgType}, {m.capStatus}, {m.identifier}
                </dd>
              </div>
              <div>
                <dt>Sent</dt>
                <dd>{formatTime(m.sent)}</dd>
              </div>
              <div>
                <dt>Received</dt>
                <dd>
                  {formatTime(m.receivedAt)} {m.source === 'api' ? 'through the API' : `from ${m.source}`}
                </dd>
              </div>
              <div>
                <dt>Expires</dt>
                <dd>{formatTime(m.expiresAt)}</dd>
              </div>
            </dl>
            {m.status === 'pending' && (
              <div className="panel">
                <h2>Relay or dismiss</h2>
                <button type="button" className="primary" onClick={() => setRelaying(true)}>
                  Relay as a Tocsin alert…
                </button>
                <DismissForm
                  message={m}
                  onDismissed={() => {
                    setNotice('Dismissed. Nothing was sent.');
                    message.reload();
                  }}
                />
              </div>
            )}
            {relaying && <RelayDialog message={m} onCancel={() => setRelaying(false)} />}
            <h2>Content</h2>
            {m.cap.infos.length === 0 && <p>The message carries no information block.</p>}
            {m.cap.infos.map((info, i) => (
              <Info key={i} info={info} />
            ))}
            <details className="panel">
              <summary>The original CAP document</summary>
              <pre className="json">{m.document}</pre>
            </details>
          </>
        )}
      </LoadState>
    </section>
  );
}
