import type { ReactNode } from 'react';
import type { ApiState } from '../../../api/use-api';

/**
 * Loading, error and empty states of one API read, then its content. Keeps showing the last data
 * while a refresh runs, and says the refresh failed without hiding what was there.
 */
export function LoadState<T>({
  state,
  what,
  isEmpty,
  empty,
  children,
}: {
  state: ApiState<T>;
  /** What is loading, e.g. "operators". */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading, reload } = state;
  const problem = error && (
    <div className="error" role="alert">
      <p>
        Could not load the {what}: {error}
      </p>
      <button type="button" onClick={reload}>
        Try again
      </button>
    </div>
  );
  if (data === null)
    return (
      problem ||
      (loading ? (
        <p className="loading" role="status">
          Loading the {what}…
        </p>
      ) : null)
    );
  return (
    <>
      {problem}
      {isEmpty?.(data) ? <p className="empty">{empty ?? `No ${what} yet.`}</p> : children(data)}
    </>
  );
}
