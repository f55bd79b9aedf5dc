import { createContext, useContext } from 'react';
import type { ConsoleSettings, SessionInfo } from './session-types';

export interface SessionValue {
  session: SessionInfo;
  settings: ConsoleSettings;
  /** Whether the signed-in operator holds a permission (the server enforces it again). */
  can: (permission: string) => boolean;
  /** Whether the operator holds any permission starting with `prefix` (alerts.send. …). */
  canAny: (prefix: string) => boolean;
  signOut: () => Promise<void>;
  /** Counts sign-ins in this page's life: loads that failed while signed out run again when it changes. */
  generation: number;
  /** Mark that an unsent draft exists: the session is kept alive while it does. */
  setComposing: (composing: boolean) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in session; only inside the signed-in part of the console. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
