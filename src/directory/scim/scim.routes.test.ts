import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { oktaUser, patchOp, scimClient } from './scim-test-support.js';
import { urn } from './scim-urns.js';

let sys: TestSystem;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  sys = await startTestSystem();
  scim = scimClient(sys, await makeToken(sys.ctx, ['scim.provision']));
});
afterAll(async () => {
  await sys.close();
});

const scimError = (status: number, scimType?: string) => ({
  schemas: [urn.error],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail: expect.any(String),
});

describe('SCIM errors', () => {
  it('answers 401 without a token and 403 for a token without scim.provision, in SCIM format', async () => {
    const anonymous = await scimClient(sys, null)('GET', '/Users');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(anonymous.json()).toEqual(scimError(401));
    const weak = scimClient(sys, await makeToken(sys.ctx, ['metrics.read']));
    const denied = await weak('POST', '/Users', oktaUser());
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual(scimError(403));
    expect((await weak('GET', '/ServiceProviderConfig')).statusCode).toBe(403);
  });

  it('answers 404 for an unknown id and an unknown endpoint', async () => {
    for (const path of [
      '/Users/00000000-0000-4000-8000-000000000000',
      '/Users/not-a-uuid',
      '/Groups/nope',
      '/Nope',
    ]) {
      const r = await scim('GET', path);
      expect(r.statusCode, path).toBe(404);
      expect(r.json()).toEqual(scimError(404));
    }
    const patch = await scim(
      'PATCH',
      '/Users/00000000-0000-4000-8000-000000000000',
      patchOp({ op: 'replace', value: { active: false } }),
    );
    expect(patch.statusCode).toBe(404);
  });

  it('answers 400 invalidFilter for a malformed or unsupported filter', async () => {
    for (const filter of [
      'userName eq',
      'userName xx "a"',
      '(userName eq "a"',
      'title eq "x"',
      'userName eq "a" and',
      'active gt true',
    ]) {
      const r = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(r.statusCode, filter).toBe(400);
      expect(r.json(), filter).toEqual(scimError(400, 'invalidFilter'));
    }
  });

  it('answers 409 uniqueness for a userName already provisioned, in any case', async () => {
    const body = oktaUser();
    expect((await scim('POST', '/Users', body)).statusCode).toBe(201);
    const r = await scim('POST', '/Users', { ...oktaUser(body.userName.toUpperCase()) });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual(scimError(409, 'uniqueness'));
  });

  it('answers 400 invalidValue naming an invalid phone number or email', async () => {
    const phone = await scim('POST', '/Users', {
      ...oktaUser(),
      phoneNumbers: [{ type: 'mobile', value: '12345' }],
    });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()).toEqual(scimError(400, 'invalidValue'));
    expect(phone.json().detail).toContain('"12345"');
    const email = await scim('POST', '/Users', { ...oktaUser(), emails: [{ value: 'not-an-email' }] });
    expect(email.json()).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringContaining('not-an-email'),
    });
  });

  it('answers 400 invalidSyntax for unreadable JSON and a body that is not an object', async () => {
    const broken = await sys.app!.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: {
        authorization: `Bearer ${await makeToken(sys.ctx, ['scim.provision'])}`,
        'content-type': 'application/scim+json',
      },
      payload: '{"userName": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual(scimError(400, 'invalidSyntax'));
    expect((await scim('POST', '/Users', [1, 2])).json()).toMatchObject({ status: '400' });
    expect(
      (await scim('PATCH', '/Users/00000000-0000-4000-8000-000000000000', { Operations: 'x' })).json(),
    ).toEqual(scimError(400, 'invalidSyntax'));
  });

  it('answers odd input with 4xx, never 5xx', async () => {
    const user = (await scim('POST', '/Users', oktaUser())).json();
    const bodies = [
      { userName: 5 },
      { userName: 'a', name: 'str', emails: [null] },
      { userName: 'a', emails: [{ value: 5 }] },
      { userName: 'a', preferredLanguage: 'english please' },
      { userName: 'a', displayName: 'x'.repeat(301) },
      { userName: 'a', displayName: 'nul\u0000' },
      { userName: 'a', emails: Array.from({ length: 51 }, (_, i) => ({ value: `a${i}@x.org` })) },
      null,
    ];
    const operations = [
      { op: 'replace', path: 'emails[', value: 'x' },
      { op: 'replace', path: 'userName', value: null },
      { op: 'replace', path: 'emails', value: 'string' },
      { op: 'add', path: 'name.givenName', value: { a: 1 } },
      { op: 5 },
    ];
    const filters = [
      'meta.created gt "garbage"',
      'id eq 5',
      'userName eq "\\u0000"',
      'emails.value sw "%_\\\\"',
    ];
    const responses = [
      ...(await Promise.all(bodies.map((b) => scim('POST', '/Users', b)))),
      ...(await Promise.all(operations.map((o) => scim('PATCH', `/Users/${user.id}`, patchOp(o))))),
      ...(await Promise.all(filters.map((f) => scim('GET', `/Users?filter=${encodeURIComponent(f)}`)))),
    ];
    for (const r of responses) expect(r.statusCode, r.body).toBeLessThan(500);
  });

  it('leaves the error format of other routes alone', async () => {
    const r = await sys.app!.inject({ method: 'GET', url: '/api/v1/operators' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await sys.app!.inject({ method: 'GET', url: '/api/v1/nope' })).json()).toMatchObject({
      error: { code: 'not_found' },
    });
  });

  it('accepts application/json and application/scim+json with a charset', async () => {
    const token = await makeToken(sys.ctx, ['scim.provision']);
    for (const type of ['application/json', 'application/scim+json; charset=utf-8']) {
      const r = await sys.app!.inject({
        method: 'POST',
        url: '/scim/v2/Users',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        payload: JSON.stringify(oktaUser()),
      });
      expect(r.statusCode, type).toBe(201);
    }
  });
});

describe('SCIM discovery', () => {
  it('describes the service: patch and filter yes, bulk, sort and etag no, bearer tokens', async () => {
    const r = await scim('GET', '/ServiceProviderConfig');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      schemas: [urn.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      sort: { supported: false },
      etag: { supported: false },
      changePassword: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
    });
  });

  it('lists the User and Group resource types and their schemas', async () => {
    const types = (await scim('GET', '/ResourceTypes')).json();
    expect(types).toMatchObject({ schemas: [urn.listResponse], totalResults: 2 });
    expect((await scim('GET', '/ResourceTypes/User')).json()).toMatchObject({
      endpoint: '/Users',
      schema: urn.user,
      schemaExtensions: [{ schema: urn.enterpriseUser, required: false }],
    });
    const schemas = (await scim('GET', '/Schemas')).json();
    expect(schemas.Resources.map((s: { id: string }) => s.id)).toEqual([
      urn.user,
      urn.enterpriseUser,
      urn.group,
    ]);
    const user = (await scim('GET', `/Schemas/${urn.user}`)).json();
    expect(user.attributes.find((a: { name: string }) => a.name === 'userName')).toMatchObject({
      required: true,
      uniqueness: 'server',
      caseExact: false,
    });
    expect((await scim('GET', '/Schemas/urn:nope')).statusCode).toBe(404);
  });
});
