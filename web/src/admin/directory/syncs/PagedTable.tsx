import { useState, type ReactNode } from 'react';
import { DataTable, Empty } from '../ui';

/** A long list shown a page at a time, with its headings and the rows of this page. */
export function PagedTable<T>({
  label,
  items,
  headings,
  row,
  empty,
  pageSize = 50,
}: {
  label: string;
  items: T[];
  headings: string[];
  row: (item: T) => ReactNode;
  empty: string;
  pageSize?: number;
}) {
  const [page, setPage] = useState(0);
  if (items.length === 0) return <Empty>{empty}</Empty>;
  const pages = Math.ceil(items.length / pageSize);
  const start = page * pageSize;
  const shown = items.slice(start, start + pageSize);
  return (
    <>
      <DataTable label={label} headings={headings}>
        {shown.map(row)}
      </DataTable>
      {pages > 1 && (
        <nav className="pager" aria-label={`Pages of ${label.toLowerCase()}`}>
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous page
          </button>
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next page
          </button>
          <span>
            {start + 1}–{start + shown.length} of {items.length.toLocaleString()}
          </span>
        </nav>
      )}
    </>
  );
}
