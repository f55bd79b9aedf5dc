import { useState, type FormEvent } from 'react';
import { noFilter, type AuditFilter } from './audit-types';

const textFilters = [
  { key: 'action', label: 'Action', hint: 'Exact, e.g. operator.create, alert.send, auth.sign_in' },
  {
    key: 'actorId',
    label: 'Actor id',
    hint: 'An operator’s or API token’s id (open an entry to filter by its actor)',
  },
  { key: 'targetType', label: 'Target type', hint: 'e.g. operator, alert, alert_template' },
  { key: 'targetId', label: 'Target id', hint: '' },
] as const;

/** The audit API's filters as a form; applied on submit. */
export function AuditFilters({ value, onApply }: { value: AuditFilter; onApply: (f: AuditFilter) => void }) {
  const [draft, setDraft] = useState(value);
  const set = (key: keyof AuditFilter, v: string) => setDraft((d) => ({ ...d, [key]: v }));
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }
  return (
    <form onSubmit={submit} className="panel filters" aria-labelledby="filter-title">
      <h2 id="filter-title">Filter</h2>
      <div className="filter-grid">
        {textFilters.map((f) => (
          <div key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label}</label>
            <input
              id={`audit-${f.key}`}
              value={draft[f.key]}
              aria-describedby={f.hint ? `audit-${f.key}-hint` : undefined}
              onChange={(e) => set(f.key, e.target.value)}
            />
            {f.hint && (
              <p id={`audit-${f.key}-hint`} className="hint">
                {f.hint}
              </p>
            )}
          </div>
        ))}
        <div>
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={draft.outcome} onChange={(e) => set('outcome', e.target.value)}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="denied">Denied</option>
            <option value="failure">Failure</option>
          </select>
        </div>
        <div>
          <label htmlFor="audit-since">From (your time)</label>
          <input
            id="audit-since"
            type="datetime-local"
            step={1}
            value={draft.since}
            onChange={(e) => set('since', e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="audit-until">Before (your time)</label>
          <input
            id="audit-until"
            type="datetime-local"
            step={1}
            value={draft.until}
            onChange={(e) => set('until', e.target.value)}
          />
        </div>
      </div>
      <button type="submit" className="primary">
        Show entries
      </button>
      <button
        type="button"
        onClick={() => {
          setDraft(noFilter);
          onApply(noFilter);
        }}
      >
        Clear filters
      </button>
    </form>
  );
}
