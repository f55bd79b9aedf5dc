import { useEffect, useRef } from 'react';

/**
 * A one-time secret, shown once: the operator uses it to sign in and must then choose a password.
 * Nothing keeps it; once dismissed (or the page is left) it cannot be shown again.
 */
export function OneTimeSecret({
  secret,
  username,
  onDone,
}: {
  secret: string;
  username: string;
  onDone: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} className="panel secret-panel" role="region" aria-labelledby="secret-title" tabIndex={-1}>
      <h2 id="secret-title">One-time secret for {username}</h2>
      <p>
        Give it to them in person or by phone. They sign in with it once and then choose their own password.
        It is shown only now: Tocsin keeps no copy.
      </p>
      <p className="secret">
        <code data-testid="one-time-secret">{secret}</code>
      </p>
      <button type="button" className="primary" onClick={onDone}>
        I have handed it over: hide it
      </button>
    </div>
  );
}
