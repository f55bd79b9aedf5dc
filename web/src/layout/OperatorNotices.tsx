import { useState } from 'react';
import { formatTime } from '../common/format';
import { api, errorMessage } from '../api/client';
import { useApi } from '../api/use-api';

/** One notice of GET /api/v1/auth/notices (src/identity/operator-notices.ts). */
interface OperatorNotice {
  id: string;
  kind: 'sending_role_granted' | 'token_created_for_you';
  message: string;
  createdAt: string;
}

/**
 * The signed-in operator's unread notices (e.g. another administrator gave someone a role that
 * sends alerts), above every screen until each is marked read; marking one read is audited.
 */
export function OperatorNotices() {
  const notices = useApi<{ notices: OperatorNotice[] }>('/api/v1/auth/notices');
  const [error, setError] = useState<string | null>(null);
  const list = notices.data?.notices ?? [];
  if (list.length === 0) return null;
  const markRead = (id: string) => {
    setError(null);
    api(`/api/v1/auth/notices/${id}/read`, { method: 'POST' })
      .then(() => notices.reload())
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <section aria-label="Notices for you" className="operator-notices">
      {list.map((n) => (
        <div key={n.id} className="warning" style={{ overflowWrap: 'anywhere' }}>
          <p>
            {n.message} <span className="muted">({formatTime(n.createdAt)})</span>
          </p>
          <button type="button" onClick={() => markRead(n.id)}>
            Mark read
          </button>
        </div>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
