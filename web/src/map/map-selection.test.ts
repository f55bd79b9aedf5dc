import { describe, expect, it } from 'vitest';
import { highlightedCodes, placesInside, toggledPlace, withPlaces, type MapPlace } from './map-selection';

/** A square of side `d` degrees with its south-west corner at (x, y). */
const square = (x: number, y: number, d = 1): MapPlace['outline'] => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

const places: MapPlace[] = [
  { code: 'WEST', name: 'West Campus', kind: 'zone', zone: null, outline: square(0, 0, 10) },
  { code: 'W20', name: 'Student Center', kind: 'building', zone: 'WEST', outline: square(1, 1) },
  { code: 'W1', name: 'Maseeh Hall', kind: 'residence_hall', zone: 'WEST', outline: square(3, 1) },
  // An L-shaped building: most of it left of x = 6; its centroid, the mean of its corners, (5.75, 6.25).
  {
    code: 'W7',
    name: 'Baker House',
    kind: 'building',
    zone: 'WEST',
    outline: {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [5, 5],
            [7, 5],
            [7, 6],
            [5, 6],
            [5, 5],
          ],
        ],
        [
          [
            [5, 6],
            [6, 6],
            [6, 8],
            [5, 8],
            [5, 6],
          ],
        ],
      ],
    },
  },
  { code: 'ENDICOTT', name: 'Endicott House', kind: 'building', zone: null, outline: null },
];
const codes = (ps: MapPlace[]) => ps.map((p) => p.code);

describe('placesInside: what an area drawn on the map chooses', () => {
  it('takes the buildings and residence halls whose centroid is inside, never a zone or a place off the map', () => {
    const all: Array<[number, number]> = [
      [-1, -1],
      [11, -1],
      [11, 11],
      [-1, 11],
    ];
    expect(codes(placesInside(places, all))).toEqual(['W20', 'W1', 'W7']);
    // A triangle over W20 only; corners in either direction.
    const triangle: Array<[number, number]> = [
      [0, 0],
      [0, 3],
      [3, 0],
    ];
    expect(codes(placesInside(places, triangle))).toEqual(['W20']);
    expect(codes(placesInside(places, [...triangle].reverse()))).toEqual(['W20']);
  });

  it('takes a building it mostly covers and leaves one it only grazes', () => {
    // Covers x 4.5–5.8 of the L: its centroid is inside.
    expect(
      codes(
        placesInside(places, [
          [4.5, 4.5],
          [5.8, 4.5],
          [5.8, 8.5],
          [4.5, 8.5],
        ]),
      ),
    ).toEqual(['W7']);
    // Grazes W20's corner (1–2, 1–2): its centroid (1.5, 1.5) is outside.
    expect(
      placesInside(places, [
        [0, 0],
        [1.2, 0],
        [1.2, 1.2],
        [0, 1.2],
      ]),
    ).toEqual([]);
  });

  it('needs three corners', () => {
    expect(
      placesInside(places, [
        [0, 0],
        [10, 10],
      ]),
    ).toEqual([]);
  });
});

describe('the chosen places', () => {
  it('highlights the places chosen and everything inside a chosen zone, ignoring case; everyone: all', () => {
    expect(highlightedCodes(places, ['w20'], false)).toEqual(new Set(['W20']));
    expect(highlightedCodes(places, ['West'], false)).toEqual(new Set(['WEST', 'W20', 'W1', 'W7']));
    expect(highlightedCodes(places, [], true).size).toBe(places.length);
    expect(highlightedCodes(places, ['NOPE'], false).size).toBe(0);
  });

  it('toggles one place and adds several without doubles, keeping the order chosen', () => {
    const w20 = { code: 'W20', name: 'Student Center', kind: 'building' };
    const w1 = { code: 'W1', name: 'Maseeh Hall', kind: 'residence_hall' };
    expect(toggledPlace([], w20)).toEqual([w20]);
    expect(toggledPlace([w20, w1], { ...w20, code: 'w20' })).toEqual([w1]);
    expect(withPlaces([w1], [w20, { ...w1, code: 'w1' }])).toEqual([w1, w20]);
  });
});
