import { useState, type FormEvent } from 'react';
import { statusWords } from './alert-words';
import { filterProblem, noFilters, type HistoryFilters } from './history-query';

const kinds: Array<[string, string]> = [
  ['emergency', 'Emergency'],
  ['operations', 'Operations disruption'],
  ['test', 'Test'],
  ['exercise', 'Exercise'],
];
const statuses = ['sending', 'sent', 'closed'];

/** The history's search box and filters; applies them on submit (Enter or the button). */
export function HistoryFilterForm({
  filters,
  onApply,
}: {
  filters: HistoryFilters;
  onApply: (filters: HistoryFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (k: keyof HistoryFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wrong = filterProblem(draft);
    setProblem(wrong);
    if (!wrong) onApply(draft);
  };
  const clear = () => {
    setDraft(noFilters);
    setProblem(null);
    onApply(noFilters);
  };
  return (
    <form role="search" aria-label="Alerts" className="al-filters" onSubmit={submit} noValidate>
      <div className="al-search">
        <label htmlFor="al-q">Search</label>
        <input
          id="al-q"
          type="search"
          value={draft.q}
          maxLength={200}
          aria-describedby="al-q-hint"
          onChange={set('q')}
        />
        <p className="al-hint" id="al-q-hint">
          Words from what or where, a template’s name, or an alert id.
        </p>
      </div>
      <div>
        <label htmlFor="al-kind">Kind</label>
        <select id="al-kind" value={draft.kind} onChange={set('kind')}>
          <option value="">Any kind</option>
          {kinds.map(([k, words]) => (
            <option key={k} value={k}>
              {words}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="al-status">Status</label>
        <select id="al-status" value={draft.status} onChange={set('status')}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {statusWords[s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="al-tests">Tests and exercises</label>
        <select id="al-tests" value={draft.tests} onChange={set('tests')}>
          <option value="">Shown</option>
          <option value="hidden">Hidden</option>
          <option value="only">Only tests and exercises</option>
        </select>
      </div>
      <div>
        <label htmlFor="al-from">Sent from</label>
        <input id="al-from" type="date" value={draft.from} onChange={set('from')} />
      </div>
      <div>
        <label htmlFor="al-to">Sent to (inclusive)</label>
        <input id="al-to" type="date" value={draft.to} onChange={set('to')} />
      </div>
      <div className="al-filter-buttons">
        <button type="submit" className="primary">
          Search
        </button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </div>
      {problem && (
        <p className="error al-filter-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
