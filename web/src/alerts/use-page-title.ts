import { useEffect } from 'react';

/** Sets the browser tab's title for a screen (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Tocsin console`;
  }, [title]);
}
