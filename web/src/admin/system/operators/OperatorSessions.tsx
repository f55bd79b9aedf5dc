import { useState } from 'react';
import { useApi } from '../../../api/use-api';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime } from '../../../common/format';
import type { OperatorSession } from './operator-types';

/** An operator's open sessions, loaded only on request: addresses and browsers are personal data and each read is audited. */
export function OperatorSessions({ operatorId }: { operatorId: string }) {
  const [shown, setShown] = useState(false);
  const sessions = useApi<{ sessions: OperatorSession[] }>(
    shown ? `/api/v1/operators/${operatorId}/sessions` : null,
  );
  return (
    <>
      <h2>Open sessions</h2>
      {!shown ? (
        <>
          <p>Addresses and browsers are personal data: showing them is recorded in the audit log.</p>
          <button type="button" onClick={() => setShown(true)}>
            Show open sessions
          </button>
        </>
      ) : (
        <LoadState
          state={sessions}
          what="sessions"
          isEmpty={(d) => d.sessions.length === 0}
          empty="No open sessions."
        >
          {(d) => (
            <TableScroll label="Open sessions, newest first">
              <table>
                <caption className="visually-hidden">Open sessions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Last active</th>
                    <th scope="col">Sign-in</th>
                    <th scope="col">Address</th>
                    <th scope="col">Browser</th>
                  </tr>
                </thead>
                <tbody>
                  {d.sessions.map((s) => (
                    <tr key={s.createdAt + s.lastSeenAt}>
                      <td>{formatTime(s.createdAt)}</td>
                      <td>{formatTime(s.lastSeenAt)}</td>
                      <td>
                        {s.method}
                        {s.stage !== 'active' ? ` (${s.stage.replace('_', ' ')})` : ''}
                      </td>
                      <td>{s.ip ?? '—'}</td>
                      <td className="wrap">{s.userAgent ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </LoadState>
      )}
    </>
  );
}
