import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPlan } from '../app/routes.js';
import { buildServer } from '../platform/http/server.js';
import { makeOperator, makeToken, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { mapGeometry } from './campus-map.js';
import { campusMapProfileSections, mapImageSources } from './campus-map.profile.js';

let sys: TestSystem;
let manager: SignedIn;
let viewer: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem();
  manager = await signIn(sys.app!, await makeOperator(sys.ctx, ['directory_manager']));
  viewer = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
});
afterAll(async () => {
  await sys.close();
});

const square = (x: number, y: number, d = 0.0004) => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

/** A circle of `n` positions (a ring drawn by a surveyor's tool: many points, most of them needless). */
const circle = (n: number) => {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [-71.09 + 0.001 * Math.cos(a), 42.36 + 0.001 * Math.sin(a)];
  });
  return [...ring, ring[0]!];
};

describe('GET /api/v1/campus-map', () => {
  it('lists places with their zone and outline, simplified, to a viewer; answers 304 to its ETag', async () => {
    const post = (body: object) =>
      sys.app!.inject({ method: 'POST', url: '/api/v1/locations', headers: manager.headers, payload: body });
    expect((await post({ kind: 'zone', code: 'WEST', name: 'West Campus' })).statusCode).toBe(201);
    const w20 = await post({
      kind: 'building',
      code: 'W20',
      name: 'Student Center',
      parentCode: 'WEST',
      outline: {
        type: 'Feature',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [square(-71.095, 42.359)] },
      },
    });
    expect(w20.statusCode, w20.body).toBe(201);
    expect(
      (
        await post({
          kind: 'residence_hall',
          code: 'W1',
          name: 'Maseeh Hall',
          parentCode: 'WEST',
          outline: { type: 'Polygon', coordinates: [circle(2000)] },
        })
      ).statusCode,
    ).toBe(201);

    const first = await sys.app!.inject({ method: 'GET', url: '/api/v1/campus-map', headers: viewer });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const body = first.json();
    expect(body.tiles).toBeNull();
    expect(body.places.map((p: { code: string }) => p.code)).toEqual(['W1', 'W20', 'WEST']);
    expect(body.places[1]).toEqual({
      code: 'W20',
      name: 'Student Center',
      kind: 'building',
      zone: 'WEST',
      outline: { type: 'Polygon', coordinates: [square(-71.095, 42.359)] },
    });
    expect(body.places[2]).toMatchObject({ kind: 'zone', zone: null, outline: null });
    const hall = body.places[0].outline.coordinates[0] as number[][];
    expect(hall.length).toBeGreaterThan(20);
    expect(hall.length).toBeLessThan(400);

    const etag = first.headers.etag as string;
    const again = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/campus-map',
      headers: { ...viewer, 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    // A change to a location gives a new map and a new ETag.
    const patch = await sys.app!.inject({
      method: 'PATCH',
      url: `/api/v1/locations/${w20.json().id}`,
      headers: manager.headers,
      payload: { name: 'Stratton Student Center' },
    });
    expect(patch.statusCode).toBe(200);
    const changed = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/campus-map',
      headers: { ...viewer, 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().places[1].name).toBe('Stratton Student Center');
  });

  it('names what is wrong with a bad query', async () => {
    const unknown = await sys.app!.inject({
      method: 'GET',
      url: '/api/v1/campus-map?campus=boston',
      headers: viewer,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('Unknown campus "boston"');
    const extra = await sys.app!.inject({ method: 'GET', url: '/api/v1/campus-map?zoom=3', headers: viewer });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('zoom');
    expect((await sys.app!.inject({ method: 'GET', url: '/api/v1/campus-map' })).statusCode).toBe(401);
  });

  it('hands out the profile’s tile source, and the Content-Security-Policy allows that origin alone', async () => {
    const plain = await sys.app!.inject({ method: 'GET', url: '/console/', headers: viewer });
    expect(plain.headers['content-security-policy']).toContain("img-src 'self' data:;");
    const tiles = {
      url: 'https://tiles.example.edu/campus/{z}/{x}/{y}.png',
      attribution: 'MIT Facilities',
      maxZoom: 20,
    };
    const app = await buildServer(
      { ...sys.ctx, profile: { ...sys.ctx.profile, map: { tiles } } },
      serverPlan,
    );
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/campus-map', headers: viewer });
      expect(r.json().tiles).toEqual(tiles);
      expect(r.headers['content-security-policy']).toContain(
        "img-src 'self' data: https://tiles.example.edu;",
      );
    } finally {
      await app.close();
    }
  });
});

describe('the campus map’s pieces', () => {
  it('checks the tile source of the profile', () => {
    const map = campusMapProfileSections.map;
    const tiles = (url: string) => map.safeParse({ tiles: { url, attribution: 'x' } });
    expect(tiles('https://tiles.example.edu/{z}/{x}/{y}.png').data?.tiles?.maxZoom).toBe(19);
    expect(tiles('/tiles/{z}/{x}/{y}.png').success).toBe(true);
    expect(tiles('https://{s}.tiles.example.edu/{z}/{x}/{y}.png').error?.issues[0]?.message).toContain(
      'no placeholder but',
    );
    expect(tiles('https://tiles.example.edu/{z}/{x}.png').success).toBe(false);
    expect(tiles('ftp://tiles.example.edu/{z}/{x}/{y}.png').success).toBe(false);
    expect(
      mapImageSources({ map: { tiles: { url: 'https://t.example.edu:8443/{z}/{x}/{y}.png' } } }),
    ).toEqual(['https://t.example.edu:8443']);
    expect(mapImageSources({ map: { tiles: { url: '/tiles/{z}/{x}/{y}.png' } } })).toEqual([]);
    expect(mapImageSources({})).toEqual([]);
  });

  it('unwraps a Feature, drops altitudes and rounds; a missing outline is null', () => {
    expect(mapGeometry(null)).toBeNull();
    expect(mapGeometry({ type: 'Point', coordinates: [0, 0] })).toBeNull();
    const ring = [
      [-71.12345678, 42.1, 12],
      [-71.1, 42.1, 12],
      [-71.1, 42.2, 12],
      [-71.12345678, 42.1, 12],
    ];
    expect(
      mapGeometry({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[ring]] } }),
    ).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [-71.123457, 42.1],
            [-71.1, 42.1],
            [-71.1, 42.2],
            [-71.123457, 42.1],
          ],
        ],
      ],
    });
  });
});
