import { Type, type Static } from 'typebox';

const Position = Type.Array(Type.Number(), {
  minItems: 2,
  maxItems: 2,
  description: '[longitude, latitude] in degrees',
});
const Rings = Type.Array(Type.Array(Position));
const Geometry = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Rings }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Rings) }),
]);

/** One building, zone or residence hall as the campus map draws it. */
const MapPlace = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('building'), Type.Literal('zone'), Type.Literal('residence_hall')]),
  zone: Type.Union([Type.String(), Type.Null()], { description: 'The code of the zone it is in' }),
  outline: Type.Union([Geometry, Type.Null()], {
    description: 'GeoJSON geometry, simplified to about a metre; null: not on the map',
  }),
});

/** The optional self-hosted tile source of the profile (`map.tiles`); null: outlines only. */
const MapTiles = Type.Union([
  Type.Object({ url: Type.String(), attribution: Type.String(), maxZoom: Type.Integer() }),
  Type.Null(),
]);

/** The reply of GET /api/v1/campus-map. */
export const CampusMapSchema = Type.Object({
  campus: Type.String(),
  places: Type.Array(MapPlace),
  tiles: MapTiles,
});

export type CampusMap = Static<typeof CampusMapSchema>;
export type MapPlace = CampusMap['places'][number];
export type MapGeometry = NonNullable<MapPlace['outline']>;
