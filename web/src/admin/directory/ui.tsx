import { useEffect, type ReactNode } from 'react';
import type { ApiState } from '../../api/use-api';
import './directory.css';

/** Sets the browser tab's title for a screen (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Tocsin console`;
  }, [title]);
}

/** Loading, the error in words, or the content once the data is there. */
export function Loaded<T>({
  state,
  what,
  children,
}: {
  state: ApiState<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error)
    return (
      <div className="error" role="alert">
        <p>
          Could not load {what}: {state.error}
        </p>
        <button type="button" onClick={state.reload}>
          Try again
        </button>
      </div>
    );
  if (!state.data)
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  return <>{children(state.data)}</>;
}

/** What an empty list shows instead of an empty table. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A failed change, in words, announced to screen readers. */
export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** A change that worked, announced politely. */
export function Notice({ message }: { message: string | null }) {
  return (
    <p className={message ? 'notice' : 'visually-hidden'} role="status">
      {message ?? ''}
    </p>
  );
}

/** A table that scrolls inside its own box at narrow widths, named for screen readers. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A focusable, named region so keyboard users can scroll it (axe: scrollable-region-focusable).
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
