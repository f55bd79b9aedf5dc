import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import centroid from '@turf/centroid';
import type { MapPlace } from '../../../src/directory/campus-map.schema';

export type { MapPlace };

/** A place as the composer keeps it in its audience. */
export interface ChosenPlace {
  code: string;
  name: string;
  kind: string;
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * The buildings and residence halls inside an area drawn on the map ([longitude, latitude] corners,
 * at least three): those whose centroid lies inside it. The centroid, not the whole outline, so a
 * quick rough drawing takes a building it mostly covers and leaves one it only grazes; zones are
 * never taken by drawing (choose them in the list). Places without an outline are never inside.
 */
export function placesInside(
  places: readonly MapPlace[],
  corners: ReadonlyArray<[number, number]>,
): MapPlace[] {
  if (corners.length < 3) return [];
  const ring = [...corners, corners[0]!].map(([x, y]) => [x, y]);
  const area = { type: 'Polygon' as const, coordinates: [ring] };
  return places.filter(
    (p) => p.kind !== 'zone' && p.outline !== null && booleanPointInPolygon(centroid(p.outline), area),
  );
}

/** The codes the map shows as chosen: the places chosen, and every place inside a chosen zone (upper case). */
export function highlightedCodes(
  places: readonly MapPlace[],
  chosen: readonly string[],
  everyone: boolean,
): Set<string> {
  const codes = new Set(chosen.map((c) => c.toUpperCase()));
  const shown = new Set<string>();
  for (const p of places)
    if (everyone || codes.has(p.code.toUpperCase()) || (p.zone !== null && codes.has(p.zone.toUpperCase())))
      shown.add(p.code.toUpperCase());
  return shown;
}

/** The audience with a place added, or taken out when it was in it already. */
export function toggledPlace(chosen: readonly ChosenPlace[], place: ChosenPlace): ChosenPlace[] {
  return chosen.some((c) => same(c.code, place.code))
    ? chosen.filter((c) => !same(c.code, place.code))
    : [...chosen, place];
}

/** The audience with these places added (those already in it stay where they are). */
export function withPlaces(chosen: readonly ChosenPlace[], added: readonly ChosenPlace[]): ChosenPlace[] {
  const next = [...chosen];
  for (const p of added) if (!next.some((c) => same(c.code, p.code))) next.push(p);
  return next;
}
