import type { ReactNode } from 'react';

/**
 * A wide table in a box that scrolls sideways on its own, so the page never does (320 px). The box
 * takes focus, so keyboard users can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
