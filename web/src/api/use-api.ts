import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { SessionContext } from '../session/session-context';
import { api, errorMessage } from './client';

export interface ApiState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  /** Fetch again (after a change). */
  reload: () => void;
}

/** GET `path` (null: nothing yet) and keep the latest answer; a newer path cancels an older request. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = useRef<AbortController | null>(null);
  // A load that failed because the session ended runs again once the operator has signed in again.
  const signIns = useContext(SessionContext)?.generation ?? 0;
  useEffect(() => {
    if (path === null) return;
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    api<T>(path, { signal: controller.signal })
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation, signIns]);
  return { data, error, loading, reload };
}
