/** The history's filters as the URL keeps them (dates as the date inputs give them, YYYY-MM-DD). */
export interface HistoryFilters {
  q: string;
  kind: string;
  status: string;
  /** '' all, 'hidden' real alerts only, 'only' tests and exercises only. */
  tests: string;
  from: string;
  to: string;
}

export const noFilters: HistoryFilters = { q: '', kind: '', status: '', tests: '', from: '', to: '' };
const keys = Object.keys(noFilters) as Array<keyof HistoryFilters>;
const day = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The filters in a URL's search parameters. */
export function filtersOf(params: URLSearchParams): HistoryFilters {
  return Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as unknown as HistoryFilters;
}

/** Search parameters for filters (empty ones left out) and an optional cursor. */
export function paramsOf(filters: HistoryFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const k of keys) if (filters[k].trim()) params.set(k, filters[k].trim());
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** Local midnight of a YYYY-MM-DD day, plus `days`; null for anything else. */
function startOfDay(text: string, days = 0): Date | null {
  const m = day.exec(text);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Why the filters cannot be searched, in words; null when they can. */
export function filterProblem(f: HistoryFilters): string | null {
  if (f.from && !startOfDay(f.from))
    return 'The “from” date is not a date. Use the date picker or YYYY-MM-DD.';
  if (f.to && !startOfDay(f.to)) return 'The “to” date is not a date. Use the date picker or YYYY-MM-DD.';
  const from = startOfDay(f.from);
  const to = startOfDay(f.to);
  if (from && to && to < from)
    return 'The date range ends before it starts: pick a “to” date on or after “from”.';
  return null;
}

/** The API path of one page of the history: days are whole local days, “to” included. */
export function historyPath(f: HistoryFilters, cursor: string | null, limit: number): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (f.q.trim()) query.set('q', f.q.trim());
  if (f.kind) query.set('kind', f.kind);
  if (f.status) query.set('status', f.status);
  if (f.tests === 'hidden') query.set('test', 'false');
  if (f.tests === 'only') query.set('test', 'true');
  const from = startOfDay(f.from);
  const to = startOfDay(f.to, 1);
  if (from) query.set('from', from.toISOString());
  if (to) query.set('to', to.toISOString());
  if (cursor) query.set('cursor', cursor);
  return `/api/v1/alerts?${query.toString()}`;
}
