import { createHash } from 'node:crypto';
import simplify from '@turf/simplify';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../platform/db/database.js';
import type { CampusMap, MapGeometry, MapPlace } from './campus-map.schema.js';
import { listMapLocations, locationsVersion } from './locations.queries.js';

/** An outline with more positions than this is simplified for the map. */
const simplifyAbove = 64;
/** Douglas–Peucker tolerance in degrees: about a metre at the campus's latitude. */
const tolerance = 0.00001;

const round = (v: number) => Math.round(v * 1e6) / 1e6;

function positions(g: Polygon | MultiPolygon): number {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.reduce((n, rings) => n + rings.reduce((m, ring) => m + ring.length, 0), 0);
}

/**
 * The geometry the map draws for a stored outline (a Polygon, a MultiPolygon or a Feature of one,
 * as the directory accepts them): unwrapped, simplified to about a metre when it has many
 * positions, rounded to six decimals (about 10 cm) and without altitudes. Null when there is none.
 */
export function mapGeometry(outline: unknown): MapGeometry | null {
  if (typeof outline !== 'object' || outline === null) return null;
  const o = outline as { type?: unknown; geometry?: unknown };
  const geometry = (o.type === 'Feature' ? o.geometry : o) as Polygon | MultiPolygon | null;
  if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') return null;
  const simple =
    positions(geometry) > simplifyAbove
      ? (simplify(geometry, { tolerance, highQuality: true }) as Polygon | MultiPolygon)
      : geometry;
  const ring = (r: number[][]) => r.map((p) => [round(p[0]!), round(p[1]!)]);
  return simple.type === 'Polygon'
    ? { type: 'Polygon', coordinates: simple.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: simple.coordinates.map((rings) => rings.map(ring)) };
}

export interface CampusMapAnswer {
  body: CampusMap;
  etag: string;
}

// The map of each campus as last built, with the directory version it was built from: outlines
// are simplified once per change, not once per request.
const built = new Map<string, { version: string; answer: CampusMapAnswer }>();

/** The campus map of a campus (its places, outlines and the tile source), built again only after a change. */
export async function campusMap(
  q: Queryable,
  campus: { id: string; slug: string },
  tiles: CampusMap['tiles'],
): Promise<CampusMapAnswer> {
  const version = `${await locationsVersion(q, campus.id)}|${JSON.stringify(tiles)}`;
  const key = `${campus.id}`;
  const last = built.get(key);
  if (last?.version === version) return last.answer;
  const rows = await listMapLocations(q, campus.id);
  const places: MapPlace[] = rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    zone: r.parent_code,
    outline: mapGeometry(r.outline),
  }));
  const body: CampusMap = { campus: campus.slug, places, tiles };
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  const answer = { body, etag };
  built.set(key, { version, answer });
  return answer;
}
