import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { CampusMap as CampusMapBody } from '../../../src/directory/campus-map.schema';
import type { MapPlace } from './map-selection';

interface Props {
  places: readonly MapPlace[];
  tiles: CampusMapBody['tiles'];
  /** Upper-case codes drawn as chosen. */
  highlighted: ReadonlySet<string>;
  /** Clicking a building or residence hall: toggles it (absent: the map only shows). */
  onToggle?: (place: MapPlace) => void;
  /** The drawing in progress: corners so far, or null when not drawing. */
  drawing?: Array<[number, number]> | null;
  /** A click on the map while drawing: one more corner ([longitude, latitude]). */
  onCorner?: (corner: [number, number]) => void;
  label: string;
}

const colours = {
  line: '#4a5560',
  chosen: '#a4161a',
  zone: '#0b3d91',
  building: '#c4ccd4',
  hall: '#b9d7c3',
  drawing: '#0a58ca',
};

function styleOf(place: MapPlace, chosen: boolean): L.PathOptions {
  if (place.kind === 'zone')
    return chosen
      ? { color: colours.chosen, weight: 3, dashArray: '6 4', fillColor: colours.chosen, fillOpacity: 0.12 }
      : { color: colours.zone, weight: 1, dashArray: '4 4', fillColor: colours.zone, fillOpacity: 0.04 };
  // Chosen places differ by a thick dark border as well as by colour.
  return chosen
    ? { color: '#000000', weight: 3, dashArray: undefined, fillColor: colours.chosen, fillOpacity: 0.75 }
    : {
        color: colours.line,
        weight: 1,
        dashArray: undefined,
        fillColor: place.kind === 'residence_hall' ? colours.hall : colours.building,
        fillOpacity: 0.8,
      };
}

/**
 * The campus drawn from the directory's outlines with Leaflet: zones dashed, buildings and
 * residence halls filled, the chosen ones dark red with a thick border. No tiles unless the profile
 * names a self-hosted source, so nothing is fetched from anywhere but Tocsin.
 */
export function CampusMap({ places, tiles, highlighted, onToggle, drawing = null, onCorner, label }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef(new Map<string, { layer: L.Path; place: MapPlace }>());
  const sketch = useRef<L.Path | null>(null);
  // Leaflet's handlers see the latest props through these.
  const latest = useRef({ onToggle, onCorner, drawing });
  latest.current = { onToggle, onCorner, drawing };

  useEffect(() => {
    const m = L.map(container.current!, {
      attributionControl: false,
      keyboard: true,
      zoomSnap: 0.25,
      minZoom: 12,
      maxZoom: tiles?.maxZoom ?? 20,
    });
    map.current = m;
    if (tiles) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.maxZoom }).addTo(m);
      L.control.attribution({ prefix: false }).addTo(m);
    }
    const drawn: L.Layer[] = [];
    // Zones under the buildings, and not clickable: a zone is chosen in the list.
    const ordered = [...places].sort((a, b) => Number(b.kind === 'zone') - Number(a.kind === 'zone'));
    for (const place of ordered) {
      if (!place.outline) continue;
      const interactive = place.kind !== 'zone' && Boolean(latest.current.onToggle);
      const layer = L.geoJSON(place.outline, { style: styleOf(place, false), interactive });
      layer.eachLayer((path) => {
        if (!(path instanceof L.Path)) return;
        layers.current.set(place.code.toUpperCase(), { layer: path, place });
        path.on('add', () => path.getElement()?.setAttribute('data-code', place.code));
        if (place.kind !== 'zone')
          path.bindTooltip(`${place.code} — ${place.name}`, { sticky: true, direction: 'top' });
        if (!interactive) return;
        path.on('click', () => {
          // While drawing, the click is a corner: the map's own click handler takes it.
          if (latest.current.drawing) return;
          latest.current.onToggle?.(place);
        });
      });
      layer.addTo(m);
      drawn.push(layer);
    }
    const bounds = L.featureGroup(drawn).getBounds();
    if (bounds.isValid()) m.fitBounds(bounds, { padding: [8, 8] });
    else m.setView([42.3601, -71.0942], 15);
    m.on('click', (e: L.LeafletMouseEvent) => {
      if (latest.current.drawing) latest.current.onCorner?.([e.latlng.lng, e.latlng.lat]);
    });
    // The container changes size with the page (a phone turned, the list moving under the map):
    // Leaflet then redraws what it shows instead of leaving a grey band.
    const resized = new ResizeObserver(() => m.invalidateSize());
    resized.observe(container.current!);
    const known = layers.current;
    return () => {
      resized.disconnect();
      known.clear();
      sketch.current = null;
      m.remove();
      map.current = null;
    };
  }, [places, tiles]);

  useEffect(() => {
    for (const [code, { layer, place }] of layers.current)
      layer.setStyle(styleOf(place, highlighted.has(code)));
  }, [highlighted, places]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    sketch.current?.remove();
    sketch.current = null;
    if (drawing === null) {
      m.doubleClickZoom.enable();
      container.current?.classList.remove('campus-map-drawing');
      return;
    }
    m.doubleClickZoom.disable();
    container.current?.classList.add('campus-map-drawing');
    if (drawing.length === 0) return;
    const points = drawing.map(([x, y]) => L.latLng(y, x));
    sketch.current = (drawing.length >= 3 ? L.polygon(points) : L.polyline(points))
      .setStyle({ color: colours.drawing, weight: 2, dashArray: '5 5', fillOpacity: 0.1, interactive: false })
      .addTo(m);
  }, [drawing]);

  return <div ref={container} className="campus-map" role="region" aria-label={label} />;
}
