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
function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A focusable, named region so keyboard users can scroll it (axe: scrollable-region-focusable).
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A table with a row of column headings (false leaves one out), inside a named scrolling box. */
export function DataTable({
  label,
  headings,
  className,
  children,
}: {
  label: string;
  headings: Array<string | false>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <TableScroll label={label}>
      <table className={className}>
        <thead>
          <tr>
            {headings.map(
              (h) =>
                h !== false && (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}

/** "Previous page" and "Next page", each shown only when there is such a page, and what follows them. */
export function Pager({
  label,
  onPrevious,
  onNext,
  children,
}: {
  label: string;
  onPrevious?: () => void;
  onNext?: () => void;
  children?: ReactNode;
}) {
  return (
    <nav className="pager" aria-label={label}>
      {onPrevious && (
        <button type="button" onClick={onPrevious}>
          Previous page
        </button>
      )}
      {onNext && (
        <button type="button" onClick={onNext}>
          Next page
        </button>
      )}
      {children}
    </nav>
  );
}
