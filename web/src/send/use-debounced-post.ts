import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { SessionContext } from '../session/session-context';

export interface DebouncedPost<T> {
  /** The answer for the latest body answered so far (it may lag behind while `loading`). */
  data: T | null;
  error: string | null;
  loading: boolean;
  /** POST the current body now, without waiting; the answer also becomes `data`. */
  now: () => Promise<T>;
}

/**
 * POST `body` to `path` once it has stopped changing for `delayMs` (null: nothing to ask). An
 * answer to an older body is ignored, and its request cancelled, whenever a newer one exists.
 */
export function useDebouncedPost<T>(path: string, body: unknown, delayMs: number): DebouncedPost<T> {
  const key = body === null ? null : JSON.stringify(body);
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const latest = useRef(0);
  const signIns = useContext(SessionContext)?.generation ?? 0;

  const ask = useCallback(
    (requestKey: string, signal?: AbortSignal) => {
      const mine = ++latest.current;
      setLoading(true);
      return api<T>(path, { method: 'POST', body: JSON.parse(requestKey) as unknown, signal }).then(
        (value) => {
          if (mine === latest.current) {
            setData(value);
            setError(null);
            setLoading(false);
          }
          return value;
        },
        (e: unknown) => {
          if (mine === latest.current && !signal?.aborted) {
            setError(errorMessage(e));
            setLoading(false);
          }
          throw e;
        },
      );
    },
    [path],
  );

  useEffect(() => {
    if (key === null) {
      latest.current += 1;
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => ask(key, controller.signal).catch(() => undefined), delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, delayMs, ask, signIns]);

  const now = useCallback(() => {
    if (key === null) return Promise.reject(new Error('Nothing to ask yet.'));
    return ask(key);
  }, [key, ask]);

  return { data, error, loading, now };
}
