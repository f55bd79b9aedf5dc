import type { Polygon } from 'geojson';
import { demoLocations } from './campus-catalog.js';

/**
 * Where the demo campus's zones lie, as [west, south, east, north] in degrees: rectangles around
 * the real campus's layout in Cambridge, MA (Main Group along Massachusetts Avenue, West Campus
 * towards the river, East Campus by Kendall, North and North West along Vassar Street), with the
 * three public-property zones as strips between them. None overlaps another.
 */
const zoneBoxes: Record<string, [number, number, number, number]> = {
  WEST: [-71.1005, 42.3547, -71.0952, 42.3599],
  MAIN: [-71.0944, 42.3577, -71.0876, 42.3622],
  EAST: [-71.0868, 42.3594, -71.0806, 42.3636],
  NORTH: [-71.0944, 42.3627, -71.0896, 42.365],
  NORTHWEST: [-71.1012, 42.3606, -71.0952, 42.3652],
  'MASS-AVE': [-71.095, 42.3543, -71.0946, 42.3656],
  'MEMORIAL-DR': [-71.1005, 42.3538, -71.0806, 42.3542],
  'VASSAR-ST': [-71.1012, 42.3601, -71.0952, 42.3604],
};

const round = (v: number) => Math.round(v * 1e6) / 1e6;

function box(west: number, south: number, east: number, north: number): Polygon {
  const ring = [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ].map(([x, y]) => [round(x!), round(y!)]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A small number from a code, the same on every run: buildings of one zone differ in size. */
function spread(code: string): number {
  let h = 0;
  for (const c of code) h = (h * 31 + c.charCodeAt(0)) % 997;
  return h / 997;
}

/**
 * The outline of every demo location on the Cambridge campus: each zone its rectangle, each
 * building and residence hall a rectangle in its own cell of a grid laid over its zone (so no two
 * overlap), sized from its code. Locations off the campus (Endicott House, the Boston houses) get
 * none: they are not drawn. The same every time.
 */
export function demoOutlines(): Map<string, Polygon> {
  const outlines = new Map<string, Polygon>();
  for (const [code, b] of Object.entries(zoneBoxes)) outlines.set(code, box(...b));
  for (const [zone, [west, south, east, north]] of Object.entries(zoneBoxes)) {
    const inside = demoLocations.filter((l) => l.zone === zone);
    if (inside.length === 0) continue;
    // Cells about as wide as they are tall on the ground (a degree of longitude is 0.74 of one of latitude here).
    const width = (east - west) * 0.74;
    const height = north - south;
    const columns = Math.max(1, Math.round(Math.sqrt((inside.length * width) / height)));
    const rows = Math.ceil(inside.length / columns);
    const cellX = (east - west) / columns;
    const cellY = (north - south) / rows;
    inside.forEach((l, i) => {
      const x = west + (i % columns) * cellX;
      const y = north - (Math.floor(i / columns) + 1) * cellY;
      const s = spread(l.code);
      const w = cellX * (0.55 + 0.3 * s);
      const h = cellY * (0.5 + 0.3 * (1 - s));
      const left = x + (cellX - w) / 2;
      const bottom = y + (cellY - h) / 2;
      outlines.set(l.code, box(left, bottom, left + w, bottom + h));
    });
  }
  return outlines;
}
