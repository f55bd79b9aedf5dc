import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { useSession } from '../../../session/session-context';
import { cleryClassList, type CleryPeriod, type LocationDetail } from '../directory-types';
import { cleryClassLabel, locationKindLabel } from '../labels';
import { DataTable, Empty, ErrorNote, Loaded, Notice, usePageTitle } from '../ui';
import { useAction } from '../use-action';

/** One location and its Clery geography classes over time; add or end a class with directory.manage. */
export function LocationPage() {
  return (
    <RequirePermission permission="directory.read">
      <LocationLoader />
    </RequirePermission>
  );
}

function LocationLoader() {
  const { id } = useParams();
  const state = useApi<LocationDetail>(`/api/v1/locations/${id}`);
  return (
    <section className="dir">
      <p>
        <Link to="/console/locations">← Locations</Link>
      </p>
      <Loaded state={state} what="this location">
        {(location) => <LocationView location={location} reload={state.reload} />}
      </Loaded>
    </section>
  );
}

function LocationView({ location: l, reload }: { location: LocationDetail; reload: () => void }) {
  usePageTitle(`${l.code} ${l.name}`);
  const manage = useSession().can('directory.manage');
  const action = useAction();
  return (
    <>
      <h1>
        {l.code} {l.name}
      </h1>
      <dl className="details">
        <dt>Kind</dt>
        <dd>{locationKindLabel[l.kind]}</dd>
        <dt>Zone</dt>
        <dd>{l.parentCode ?? '—'}</dd>
        <dt>Address</dt>
        <dd>{l.address ?? '—'}</dd>
        <dt>Clery class today</dt>
        <dd>{l.cleryClass ? cleryClassLabel[l.cleryClass] : 'None recorded'}</dd>
        <dt>Outline</dt>
        <dd>{l.outline ? 'Recorded (GeoJSON)' : 'None'}</dd>
      </dl>
      <h2>Clery geography</h2>
      <p className="hint">Each class holds from its first day up to, not including, its end date.</p>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
      {l.cleryClasses.length === 0 ? (
        <Empty>No Clery class is recorded for this location.</Empty>
      ) : (
        <DataTable
          label="Clery classes"
          className={manage ? 'stack' : undefined}
          headings={['Class', 'From', 'Until', manage && 'Change']}
        >
          {l.cleryClasses.map((p) => (
            <tr key={p.id}>
              <td>{cleryClassLabel[p.cleryClass]}</td>
              <td data-label="From">{p.effectiveFrom}</td>
              <td data-label="Until">{p.effectiveTo ?? 'Open-ended'}</td>
              {manage && (
                <td>
                  {p.effectiveTo === null ? (
                    <EndPeriod locationId={l.id} period={p} action={action} onEnded={reload} />
                  ) : (
                    '—'
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {manage && <AddPeriod locationId={l.id} action={action} onAdded={reload} />}
    </>
  );
}

function EndPeriod({
  locationId,
  period,
  action,
  onEnded,
}: {
  locationId: string;
  period: CleryPeriod;
  action: ReturnType<typeof useAction>;
  onEnded: () => void;
}) {
  const [open, setOpen] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const effectiveTo = String(new FormData(event.currentTarget).get('effectiveTo') ?? '');
    const ok = await action.run(async () => {
      await api(`/api/v1/locations/${locationId}/clery-classes/${period.id}`, {
        method: 'PATCH',
        body: { effectiveTo },
      });
      onEnded();
    }, `${cleryClassLabel[period.cleryClass]} ends on ${effectiveTo}.`);
    if (ok) setOpen(false);
  };
  if (!open)
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={`End ${cleryClassLabel[period.cleryClass]}…`}
      >
        End…
      </button>
    );
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={`end-${period.id}`}>End date (not included)</label>
      <input
        id={`end-${period.id}`}
        name="effectiveTo"
        type="date"
        required
        min={period.effectiveFrom}
        autoFocus
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending}>
          End the class
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddPeriod({
  locationId,
  action,
  onAdded,
}: {
  locationId: string;
  action: ReturnType<typeof useAction>;
  onAdded: () => void;
}) {
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const effectiveTo = String(data.get('effectiveTo') ?? '');
    const ok = await action.run(async () => {
      await api(`/api/v1/locations/${locationId}/clery-classes`, {
        body: {
          cleryClass: String(data.get('cleryClass')),
          effectiveFrom: String(data.get('effectiveFrom') ?? ''),
          effectiveTo: effectiveTo || null,
        },
      });
      onAdded();
    }, 'The class is recorded.');
    if (ok) form.reset();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="add-period">
      <h2 id="add-period">Add a Clery class</h2>
      <label htmlFor="period-class">Class</label>
      <select id="period-class" name="cleryClass" required>
        {cleryClassList.map((c) => (
          <option key={c} value={c}>
            {cleryClassLabel[c]}
          </option>
        ))}
      </select>
      <label htmlFor="period-from">From</label>
      <input id="period-from" name="effectiveFrom" type="date" required />
      <label htmlFor="period-to">Until (optional, not included)</label>
      <input id="period-to" name="effectiveTo" type="date" aria-describedby="period-to-hint" />
      <p className="hint" id="period-to-hint">
        Leave empty for a class that holds until further notice. Periods of one location may not overlap.
      </p>
      <button type="submit" className="primary" disabled={action.pending}>
        Add the class
      </button>
    </form>
  );
}
