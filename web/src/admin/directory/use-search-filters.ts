import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's filters, kept in the address so a search survives a reload and can be shared. `query`
 * builds the API's query string (the given values, then each filter that is set); `search` is the
 * search form's submit handler: it reads the fields named like the filters, leaves out empty ones,
 * calls `onSearch` (to start paging again) and puts the rest in the address.
 */
export function useSearchFilters(names: readonly string[], onSearch?: () => void) {
  const [params, setParams] = useSearchParams();
  const query = (values: Record<string, string>): URLSearchParams => {
    const result = new URLSearchParams(values);
    for (const name of names) {
      const value = params.get(name);
      if (value) result.set(name, value);
    }
    return result;
  };
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of names) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    onSearch?.();
    setParams(next);
  };
  return { params, setParams, query, search };
}
