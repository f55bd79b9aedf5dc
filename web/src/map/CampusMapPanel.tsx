import { useMemo, useState } from 'react';
import type { CampusMap as CampusMapBody } from '../../../src/directory/campus-map.schema';
import { useApi } from '../api/use-api';
import { CampusMap } from './CampusMap';
import {
  highlightedCodes,
  placesInside,
  toggledPlace,
  withPlaces,
  type ChosenPlace,
  type MapPlace,
} from './map-selection';
import './map.css';

type Props =
  | {
      /** The composer: the map and the list change the audience. */
      mode: 'choose';
      chosen: ChosenPlace[];
      everyone: boolean;
      onPlaces: (places: ChosenPlace[]) => void;
    }
  | {
      /** The dashboard: the alert's audience, read-only. */
      mode: 'show';
      codes: string[];
      everyone: boolean;
    };

const kindWords: Record<string, string> = {
  building: 'building',
  zone: 'zone',
  residence_hall: 'residence hall',
};
const asChosen = ({ code, name, kind }: MapPlace): ChosenPlace => ({ code, name, kind });

/** The places of each zone, zones in code order, then the places in no zone. */
function byZone(places: readonly MapPlace[]) {
  const zones = places.filter((p) => p.kind === 'zone');
  const groups = zones.map((zone) => ({
    zone,
    places: places.filter((p) => p.kind !== 'zone' && p.zone?.toUpperCase() === zone.code.toUpperCase()),
  }));
  const known = new Set(zones.map((z) => z.code.toUpperCase()));
  const loose = places.filter((p) => p.kind !== 'zone' && !(p.zone && known.has(p.zone.toUpperCase())));
  return { groups, loose };
}

/**
 * The campus map with its list beside it (lazy: its own chunk with Leaflet). Choosing: click a
 * building or residence hall, or draw an area; the list of checkboxes does the same from the
 * keyboard. Showing: the alert's audience highlighted, and listed.
 */
export default function CampusMapPanel(props: Props) {
  const map = useApi<CampusMapBody>('/api/v1/campus-map');
  const [drawing, setDrawing] = useState<Array<[number, number]> | null>(null);
  const [said, setSaid] = useState('');
  const chosenCodes = props.mode === 'choose' ? props.chosen.map((p) => p.code) : props.codes;
  const places = useMemo(() => map.data?.places ?? [], [map.data]);
  const highlighted = useMemo(
    () => highlightedCodes(places, chosenCodes, props.everyone),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the codes' text is what matters
    [places, chosenCodes.join('\n'), props.everyone],
  );

  if (!map.data)
    return map.error ? (
      <div className="error" role="alert">
        <p>The campus map could not be loaded: {map.error}</p>
        <button type="button" onClick={map.reload}>
          Try again
        </button>
      </div>
    ) : (
      <p className="loading" role="status">
        Loading the campus map…
      </p>
    );

  const drawnPlaces = places.filter((p) => p.outline);
  const { groups, loose } = byZone(places);
  const isChosen = (code: string) => chosenCodes.some((c) => c.toUpperCase() === code.toUpperCase());

  if (props.mode === 'show') {
    const shown = places.filter((p) => isChosen(p.code));
    return (
      <div className="campus-map-panel">
        <CampusMap
          places={places}
          tiles={map.data.tiles}
          highlighted={highlighted}
          label="Campus map: the alert’s audience in dark red"
        />
        <div className="campus-map-list">
          <h3 id="map-audience-title">Audience on the map</h3>
          {props.everyone ? (
            <p>Everyone on campus.</p>
          ) : shown.length > 0 ? (
            <ul aria-labelledby="map-audience-title">
              {shown.map((p) => (
                <li key={p.code}>
                  {p.code} — {p.name} ({kindWords[p.kind] ?? p.kind}
                  {p.outline ? '' : ', not on the map'})
                </li>
              ))}
            </ul>
          ) : (
            <p>This alert’s audience names no building, zone or residence hall.</p>
          )}
          <MapKey />
        </div>
      </div>
    );
  }

  const { chosen, onPlaces } = props;
  const toggle = (place: MapPlace) => {
    const was = isChosen(place.code);
    onPlaces(toggledPlace(chosen, asChosen(place)));
    setSaid(`${was ? 'Removed' : 'Added'} ${place.code} — ${place.name}.`);
  };
  const finish = () => {
    const inside = placesInside(places, drawing ?? []);
    setDrawing(null);
    const added = inside.filter((p) => !isChosen(p.code));
    onPlaces(withPlaces(chosen, inside.map(asChosen)));
    setSaid(
      inside.length === 0
        ? 'No building or residence hall has its centre inside the area.'
        : `Added ${added.length} of ${inside.length} inside the area: ${inside.map((p) => p.code).join(', ')}.`,
    );
  };
  const checkbox = (p: MapPlace, label: string) => (
    <label key={p.code} className="check">
      <input type="checkbox" checked={isChosen(p.code)} onChange={() => toggle(p)} />
      {label}
    </label>
  );

  return (
    <div className="campus-map-panel">
      <div className="campus-map-side">
        <CampusMap
          places={places}
          tiles={map.data.tiles}
          highlighted={highlighted}
          onToggle={toggle}
          drawing={drawing}
          onCorner={(corner) => setDrawing((d) => [...(d ?? []), corner])}
          label="Campus map: click a building to add or remove it; the list beside it does the same"
        />
        <div className="campus-map-tools">
          {drawing === null ? (
            <button type="button" onClick={() => setDrawing([])}>
              Draw an area
            </button>
          ) : (
            <>
              <button type="button" className="primary" disabled={drawing.length < 3} onClick={finish}>
                Choose the buildings inside
              </button>
              <button type="button" onClick={() => setDrawing(null)}>
                Stop drawing
              </button>
              <p className="hint">
                Click the map at each corner of the area ({drawing.length} so far, at least 3).
              </p>
            </>
          )}
        </div>
        <MapKey />
        {drawnPlaces.length === 0 && <p className="hint">No outline in the directory yet: use the list.</p>}
      </div>
      <fieldset className="campus-map-list">
        <legend>Buildings and residence halls</legend>
        <div className="campus-map-scroll">
          {groups.map(({ zone, places: inside }) => (
            <fieldset key={zone.code} className="campus-map-zone">
              <legend>
                {zone.name} ({zone.code})
              </legend>
              {checkbox(zone, inside.length > 0 ? `All of ${zone.name}` : `${zone.code} — ${zone.name}`)}
              {inside.map((p) => checkbox(p, `${p.code} — ${p.name}`))}
            </fieldset>
          ))}
          {loose.length > 0 && (
            <fieldset className="campus-map-zone">
              <legend>In no zone</legend>
              {loose.map((p) => checkbox(p, `${p.code} — ${p.name}${p.outline ? '' : ' (not on the map)'}`))}
            </fieldset>
          )}
        </div>
      </fieldset>
      <p className="visually-hidden" role="status">
        {said}
      </p>
    </div>
  );
}

function MapKey() {
  return (
    <ul className="campus-map-key" aria-label="Map key">
      <li>
        <span className="swatch swatch-chosen" aria-hidden="true" /> chosen (dark red, thick border)
      </li>
      <li>
        <span className="swatch swatch-building" aria-hidden="true" /> building
      </li>
      <li>
        <span className="swatch swatch-hall" aria-hidden="true" /> residence hall
      </li>
      <li>
        <span className="swatch swatch-zone" aria-hidden="true" /> zone (dashed)
      </li>
    </ul>
  );
}
