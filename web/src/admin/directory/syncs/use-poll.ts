import { useEffect } from 'react';

/** Call `reload` every `ms` while `active` (a sync run is queued or running). */
export function usePoll(reload: () => void, active: boolean, ms = 1000): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, active, ms]);
}

/** Whether a run is still being worked on. */
export const inProgress = (status: string) => status === 'queued' || status === 'running';
