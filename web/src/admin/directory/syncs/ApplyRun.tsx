import { useState } from 'react';
import { api } from '../../../api/client';
import type { SyncRunDetail } from '../directory-types';
import { count } from '../labels';
import { ErrorNote } from '../ui';
import { useAction } from '../use-action';

/**
 * Apply a previewed run; a run the safety brake refused applies only when forced, behind a warning
 * that says how many people it deactivates and a confirmation box.
 */
export function ApplyRun({ run, onApplied }: { run: SyncRunDetail; onApplied: () => void }) {
  const action = useAction();
  const [confirmed, setConfirmed] = useState(false);
  if (run.status !== 'previewed' && run.status !== 'refused') return null;
  const deactivations = run.counts.deactivations ?? 0;
  const people = count(deactivations, 'person', 'people');
  const apply = (force: boolean) =>
    action.run(async () => {
      await api(`/api/v1/directory/syncs/${run.id}/apply`, { body: { force } });
      onApplied();
    });
  if (run.status === 'previewed')
    return (
      <div className="panel">
        <h2>Apply</h2>
        <p>
          Applying adds {count(run.counts.adds ?? 0, 'person', 'people')}, changes{' '}
          {count(run.counts.changes ?? 0, 'person', 'people')} and deactivates {people}. The file is compared
          again with the directory as it is at that moment.
        </p>
        <button type="button" className="primary" disabled={action.pending} onClick={() => void apply(false)}>
          Apply these changes
        </button>
        <ErrorNote message={action.error} />
      </div>
    );
  return (
    <div className="panel warning" role="group" aria-labelledby="force-heading">
      <h2 id="force-heading">Apply anyway?</h2>
      <p>
        <strong>
          Forcing this sync deactivates {people} at once: they stop receiving alerts, including emergency
          alerts.
        </strong>{' '}
        A truncated or partial export looks exactly like this. Check that the file lists everyone before you
        force it.
      </p>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />I have
        checked the export is complete, and {people} should be deactivated
      </label>
      <button
        type="button"
        className="danger"
        disabled={!confirmed || action.pending}
        onClick={() => void apply(true)}
      >
        Force the sync: deactivate {people}
      </button>
      <ErrorNote message={action.error} />
    </div>
  );
}
