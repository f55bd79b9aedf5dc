import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { outlineProblem } from './manage-location.js';

let sys: TestSystem;
let manager: SignedIn;
let reader: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem();
  manager = await signIn(sys.app!, await makeOperator(sys.ctx, ['directory_manager']));
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.read'])}` };
});
afterAll(async () => {
  await sys.close();
});

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = manager.headers,
) => sys.app!.inject({ method, url, headers, payload });

const square = [
  [-71.0942, 42.3601],
  [-71.0932, 42.3601],
  [-71.0932, 42.3611],
  [-71.0942, 42.3601],
];

async function location(body: Record<string, unknown>) {
  const r = await api('POST', '/api/v1/locations', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; code: string };
}

describe('locations', () => {
  it('creates a zone and a building in it, with an outline, and audits the size not the points', async () => {
    const zone = await location({ kind: 'zone', code: 'WEST-CAMPUS', name: 'West Campus' });
    const r = await api('POST', '/api/v1/locations', {
      kind: 'building',
      code: 'W20',
      name: 'Student Center',
      parentCode: 'west-campus',
      address: '84 Massachusetts Avenue',
      outline: { type: 'Polygon', coordinates: [square] },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ campus: 'cambridge', parentId: zone.id, parentCode: 'WEST-CAMPUS' });
    expect(r.json().outline.type).toBe('Polygon');
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'location.create')
      .where('target_id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ code: 'W20', outlineBytes: expect.any(Number) });
    expect(JSON.stringify(audit.after)).not.toContain('42.36');
    const list = await api('GET', `/api/v1/locations?parent=${zone.id}`, undefined, reader);
    expect(list.json().locations.map((l: { code: string }) => l.code)).toEqual(['W20']);
  });

  it('keeps codes unique per campus ignoring case, and zones flat', async () => {
    await location({ kind: 'building', code: '54', name: 'Green Building' });
    const dup = await api('POST', '/api/v1/locations', { kind: 'zone', code: '54', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toMatch(/already used by Green Building/);
    const e14 = await location({ kind: 'building', code: 'e14', name: 'Media Lab' });
    expect((await api('PATCH', `/api/v1/locations/${e14.id}`, { code: 'E14' })).statusCode).toBe(200);
    await location({ kind: 'zone', code: 'EAST', name: 'East Campus' });
    const nested = await api('POST', '/api/v1/locations', {
      kind: 'zone',
      code: 'E-INNER',
      name: 'Inner',
      parentCode: 'EAST',
    });
    expect(nested.statusCode).toBe(400);
    const notZone = await api('PATCH', `/api/v1/locations/${e14.id}`, { parentCode: '54' });
    expect(notZone.json().error.message).toMatch(/"54" is a building, not a zone/);
    expect((await api('POST', '/api/v1/locations', { kind: 'moon', code: 'X', name: 'x' })).statusCode).toBe(
      400,
    );
    const campus = await api('POST', '/api/v1/locations', {
      kind: 'zone',
      code: 'Z9',
      name: 'x',
      campus: 'mars',
    });
    expect(campus.json().error.message).toMatch(/Unknown campus "mars". Campuses: cambridge/);
  });

  it.each([
    [{ type: 'Point', coordinates: [-71, 42] }, /type must be Polygon, MultiPolygon or Feature/],
    [{ type: 'FeatureCollection', features: [] }, /type must be/],
    [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } },
      /needs a Polygon or MultiPolygon/,
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [-71, 42],
            [-71, 43],
            [-71, 42],
          ],
        ],
      },
      /at least 4 positions/,
    ],
    [{ type: 'Polygon', coordinates: [square.map(([x, y]) => [String(x), y])] }, /\[longitude, latitude\]/],
    [{ type: 'Polygon', coordinates: [[...square.slice(0, 3), [-71, 42]]] }, /end where it starts/],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [200, 42],
            [1, 1],
            [2, 2],
            [200, 42],
          ],
        ],
      },
      /\[longitude, latitude\]/,
    ],
    [{ type: 'MultiPolygon', coordinates: [] }, /must list polygons/],
  ])('refuses outline %j', async (outline, reason) => {
    expect(outlineProblem(outline)).toMatch(reason);
    const r = await api('POST', '/api/v1/locations', { kind: 'building', code: 'BAD', name: 'Bad', outline });
    expect(r.statusCode).toBe(400);
  });

  it('accepts MultiPolygon and Feature outlines and refuses one over 1 MB', () => {
    expect(outlineProblem({ type: 'MultiPolygon', coordinates: [[square], [square]] })).toBeNull();
    expect(
      outlineProblem({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [square] },
      }),
    ).toBeNull();
    const ring = Array.from({ length: 60_000 }, (_, i) => [-71.0942 + i * 1e-7, 42.3601]);
    ring.push(ring[0]!);
    expect(outlineProblem({ type: 'Polygon', coordinates: [ring] })).toMatch(/larger than 1000000 bytes/);
  });

  it('answers 413, not 500, to a body past the server limit', async () => {
    const ring = Array.from({ length: 80_000 }, (_, i) => [-71.0942 + i * 1e-7, 42.3601]);
    ring.push(ring[0]!);
    const outline = { type: 'Polygon', coordinates: [ring] };
    const r = await api('POST', '/api/v1/locations', { kind: 'building', code: 'BIG', name: 'Big', outline });
    expect(r.statusCode).toBe(413);
  });

  it('records Clery class periods, refuses overlaps, and answers the class on a date', async () => {
    const hall = await location({ kind: 'residence_hall', code: 'W7', name: 'Baker House' });
    const add = (body: object) => api('POST', `/api/v1/locations/${hall.id}/clery-classes`, body);
    const first = await add({ cleryClass: 'on_campus', effectiveFrom: '2010-01-01' });
    expect(first.statusCode, first.body).toBe(201);
    const clash = await add({ cleryClass: 'on_campus_student_housing', effectiveFrom: '2020-07-01' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toMatch(/overlaps the on_campus period from 2010-01-01 to open-ended/);
    const end = await api('PATCH', `/api/v1/locations/${hall.id}/clery-classes/${first.json().id}`, {
      effectiveTo: '2020-07-01',
    });
    expect(end.statusCode, end.body).toBe(200);
    expect(
      (await add({ cleryClass: 'on_campus_student_housing', effectiveFrom: '2020-07-01' })).statusCode,
    ).toBe(201);
    const on = (date: string) =>
      api('GET', `/api/v1/locations/${hall.id}/clery-class?date=${date}`, undefined, reader);
    expect((await on('2020-06-30')).json().cleryClass).toBe('on_campus');
    expect((await on('2020-07-01')).json().cleryClass).toBe('on_campus_student_housing');
    expect((await on('2009-12-31')).json()).toMatchObject({ cleryClass: null, period: null });
    expect((await on('2020-02-30')).statusCode).toBe(400);
    const reopen = await api('PATCH', `/api/v1/locations/${hall.id}/clery-classes/${first.json().id}`, {
      effectiveTo: null,
    });
    expect(reopen.statusCode).toBe(409);
    const backwards = await add({
      cleryClass: 'noncampus',
      effectiveFrom: '2001-01-01',
      effectiveTo: '2000-01-01',
    });
    expect(backwards.statusCode).toBe(400);
    const detail = (await api('GET', `/api/v1/locations/${hall.id}`, undefined, reader)).json();
    expect(detail.cleryClass).toBe('on_campus_student_housing');
    expect(detail.cleryClasses).toHaveLength(2);
  });

  it('deletes a location only when no person or location points at it', async () => {
    const zone = await location({ kind: 'zone', code: 'NORTH', name: 'North' });
    const building = await location({ kind: 'building', code: 'N52', name: 'SEMO', parentCode: 'NORTH' });
    const person = await api('POST', '/api/v1/people', {
      displayName: 'Someone',
      affiliation: 'employee',
      homeBuilding: 'N52',
    });
    expect(person.statusCode).toBe(201);
    const refused = await api('DELETE', `/api/v1/locations/${building.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/home of 1 people/);
    expect((await api('DELETE', `/api/v1/locations/${zone.id}`)).statusCode).toBe(409);
    await api('PATCH', `/api/v1/people/${person.json().id}`, { homeBuilding: null });
    expect((await api('DELETE', `/api/v1/locations/${building.id}`)).statusCode).toBe(200);
    expect((await api('DELETE', `/api/v1/locations/${zone.id}`)).statusCode).toBe(200);
    expect((await api('GET', `/api/v1/locations/${zone.id}`)).statusCode).toBe(404);
  });
});
