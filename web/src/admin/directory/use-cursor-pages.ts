import { useState } from 'react';

/**
 * Paging by cursor, kept in the screen: the cursor each page starts after (null for the first page),
 * so "Previous page" goes back without searching again from the start.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    cursor: cursors.at(-1) ?? null,
    /** Go back a page; undefined on the first page. */
    previous: cursors.length > 1 ? () => setCursors((c) => c.slice(0, -1)) : undefined,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    /** Back to the first page (a new search). */
    reset: () => setCursors([null]),
  };
}
