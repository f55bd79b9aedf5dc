import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import type { ChosenPlace } from './map-selection';

// Leaflet and the map are a chunk of their own, loaded the first time a map is opened: the start
// page and the composer's first view do not carry them.
const CampusMapPanel = lazy(() => import('./CampusMapPanel'));

function Disclosure({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="campus-map-disclosure">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide the map' : label}
      </button>
      <div id={id} hidden={!open}>
        {open && (
          <Suspense
            fallback={
              <p className="loading" role="status">
                Loading the campus map…
              </p>
            }
          >
            {children}
          </Suspense>
        )}
      </div>
    </div>
  );
}

/** The composer's map: choose buildings by clicking or drawing an area, or in the list beside it. */
export function MapChoice(props: {
  places: ChosenPlace[];
  everyone: boolean;
  onPlaces: (places: ChosenPlace[]) => void;
}) {
  return (
    <Disclosure label="Choose on the campus map">
      <CampusMapPanel
        mode="choose"
        chosen={props.places}
        everyone={props.everyone}
        onPlaces={props.onPlaces}
      />
    </Disclosure>
  );
}

/** The dashboard's map: the alert's audience highlighted, read-only. */
export function AudienceMap({ audience }: { audience: { everyone?: boolean; locationCodes?: string[] } }) {
  return (
    <section aria-labelledby="al-map-title">
      <h2 id="al-map-title">Campus map</h2>
      <Disclosure label="Show the audience on the campus map">
        <CampusMapPanel
          mode="show"
          codes={audience.locationCodes ?? []}
          everyone={audience.everyone === true}
        />
      </Disclosure>
    </section>
  );
}
