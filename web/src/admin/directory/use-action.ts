import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';

export interface Action {
  /** Run a change; resolves true when it worked. */
  run: (change: () => Promise<unknown>, done?: string) => Promise<boolean>;
  pending: boolean;
  error: string | null;
  notice: string | null;
  clear: () => void;
}

/** One change at a time, with its error in words or a notice when it worked. */
export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clear = useCallback(() => {
    setError(null);
    setNotice(null);
  }, []);
  const run = useCallback(async (change: () => Promise<unknown>, done?: string) => {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      await change();
      if (done) setNotice(done);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error, notice, clear };
}
