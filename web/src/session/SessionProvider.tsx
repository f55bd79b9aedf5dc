import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { applyCampusSettings } from '../common/campus';
import { formatTime } from '../common/format';
import { api, ApiError, errorMessage, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { SessionContext, type SessionValue } from './session-context';
import type { ConsoleSettings, SessionInfo } from './session-types';
import { SignIn } from './SignIn';

// Activity renews the server's idle timer (30 minutes at MIT); a ping every 4 minutes while the
// operator is active or a draft is open keeps a session alive through any pause in composing.
const keepAliveMs = 4 * 60_000;
const activeWindowMs = 10 * 60_000;
// Past the absolute lifetime no ping helps: warn this long before, and sign in again in place.
const warnBeforeEndMs = 20 * 60_000;

type State =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'signed_out'; settings: ConsoleSettings; stage: SessionInfo['stage'] | null }
  | { kind: 'active'; settings: ConsoleSettings; session: SessionInfo };

async function loadSession(): Promise<SessionInfo | null> {
  try {
    return await api<SessionInfo>('/api/v1/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Loads the session and shows sign-in until it is active. When the session ends while the console
 * is open (any 401), a sign-in dialog covers the screen without unmounting it, so a half-written
 * alert survives; the operator signs in and presses Send again.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [reauth, setReauth] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [generation, setGeneration] = useState(0);
  const lastActivity = useRef(Date.now());
  const composing = useRef(false);

  const refresh = useCallback(async () => {
    try {
      const settings = await api<ConsoleSettings>('/api/v1/console/settings');
      applyCampusSettings(settings);
      const session = await loadSession();
      setCsrfToken(session?.csrfToken ?? null);
      if (session?.stage === 'active') {
        setState({ kind: 'active', settings, session });
        setReauth(false);
        setGeneration((g) => g + 1);
      } else setState({ kind: 'signed_out', settings, stage: session?.stage ?? null });
    } catch (error) {
      setState({ kind: 'unreachable', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedHandler(() => setReauth(true));
    const mark = () => (lastActivity.current = Date.now());
    for (const type of ['keydown', 'pointerdown', 'input'])
      window.addEventListener(type, mark, { passive: true });
    return () => {
      setUnauthorizedHandler(null);
      for (const type of ['keydown', 'pointerdown', 'input']) window.removeEventListener(type, mark);
    };
  }, []);

  const active = state.kind === 'active';
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (composing.current || Date.now() - lastActivity.current < activeWindowMs)
        void loadSession().catch(() => undefined);
    }, keepAliveMs);
    return () => clearInterval(timer);
  }, [active]);

  const value = useMemo<SessionValue | null>(() => {
    if (state.kind !== 'active') return null;
    const permissions = new Set(state.session.permissions);
    return {
      session: state.session,
      settings: state.settings,
      can: (p) => permissions.has(p),
      canAny: (prefix) => state.session.permissions.some((p) => p.startsWith(prefix)),
      signOut: async () => {
        await api('/api/v1/auth/logout', { body: {} }).catch(() => undefined);
        setCsrfToken(null);
        setState({ kind: 'signed_out', settings: state.settings, stage: null });
      },
      setComposing: (value) => (composing.current = value),
      generation,
    };
  }, [state, generation]);

  if (state.kind === 'loading') return <p className="loading">Loading the console…</p>;
  if (state.kind === 'unreachable')
    return (
      <main className="sign-in">
        <h1>Tocsin cannot be reached</h1>
        <p role="alert">{state.message}</p>
        <button type="button" onClick={() => void refresh()}>
          Try again
        </button>{' '}
        <a href="/send">Plain send form</a>
      </main>
    );
  if (state.kind === 'signed_out')
    return (
      <main>
        <SignIn settings={state.settings} stage={state.stage} onDone={() => void refresh()} />
      </main>
    );

  const endsAt = new Date(state.session.expiresAt).getTime();
  return (
    <SessionContext.Provider value={value}>
      {endsAt - now < warnBeforeEndMs && !reauth && (
        <div className="session-warning" role="status">
          Your session ends at {formatTime(state.session.expiresAt)}.{' '}
          <button type="button" onClick={() => setReauth(true)}>
            Sign in again now
          </button>
        </div>
      )}
      <div inert={reauth} aria-hidden={reauth || undefined}>
        {children}
      </div>
      {reauth && (
        <div className="dialog-backdrop">
          <div role="dialog" aria-modal="true" aria-labelledby="sign-in-title" className="dialog">
            <SignIn settings={state.settings} stage={null} onDone={() => void refresh()} reauthenticating />
          </div>
        </div>
      )}
    </SessionContext.Provider>
  );
}
