import { useState } from 'react';
import { api, errorMessage } from '../../../api/client';
import { formatTime, plural } from '../../../common/format';
import type { AuditVerification } from './audit-types';

/** Verify the whole chain and its signed checkpoints on request (it reads every row). */
export function AuditVerificationPanel() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function verify() {
    setBusy(true);
    setError(null);
    try {
      setResult(await api<AuditVerification>('/api/v1/audit/verification'));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">Verification</h2>
      <p>
        Checks every row&apos;s hash and link to the one before, that no number is missing, and every signed
        checkpoint against this server&apos;s key. It reads the whole log, so it takes a while on a large one.
      </p>
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : result ? 'Verify again' : 'Verify the chain'}
      </button>
      <div aria-live="polite">
        {error && (
          <p className="error" role="alert">
            Could not verify: {error}
          </p>
        )}
        {result && (
          <>
            <p className={result.ok ? 'notice' : 'error'}>
              <strong>
                {result.ok
                  ? 'The chain verifies: no row was edited, removed, inserted or reordered.'
                  : `The chain does NOT verify: ${plural(result.problems.length, 'problem')}.`}
              </strong>
            </p>
            <dl className="pairs">
              <div>
                <dt>Rows checked</dt>
                <dd>
                  {result.rows}
                  {result.lastSeq ? ` (up to number ${result.lastSeq})` : ''}
                </dd>
              </div>
              <div>
                <dt>Signed checkpoints</dt>
                <dd>{result.checkpoints}</dd>
              </div>
              <div>
                <dt>Last signed checkpoint</dt>
                <dd>
                  {result.lastCheckpointSeq
                    ? `at row ${result.lastCheckpointSeq}, signed ${formatTime(result.lastCheckpointAt)}`
                    : 'none yet (workers sign checkpoints periodically)'}
                </dd>
              </div>
            </dl>
            {result.problems.length > 0 && (
              <ul>
                {result.problems.map((p) => (
                  <li key={`${p.kind}-${p.seq}`}>
                    Row {p.seq}: {p.message} <span className="muted">({p.kind.replace(/_/g, ' ')})</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </section>
  );
}
