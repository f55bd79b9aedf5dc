import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestSystem } from '../../../test/support/system.js';
import { urn } from './scim-urns.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A SCIM client as an IdP is one: bearer token, application/scim+json bodies. */
export function scimClient(sys: TestSystem, token: string | null) {
  return (method: Method, path: string, body?: unknown): Promise<LightMyRequestResponse> =>
    sys.app!.inject({
      method,
      url: `/scim/v2${path}`,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
}

/** A short random suffix so tests in one database never collide. */
export const unique = () => randomBytes(4).toString('hex');

/** The body Microsoft Entra ID sends to create a user (from its SCIM validator and docs). */
export function entraUser(userName = `jdoe.${unique()}@mit.edu`) {
  return {
    schemas: [urn.user, urn.enterpriseUser],
    externalId: crypto.randomUUID(),
    userName,
    active: true,
    displayName: 'Jane Doe',
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Jane Doe', familyName: 'Doe', givenName: 'Jane' },
    phoneNumbers: [
      { type: 'mobile', value: '+1 617-555-0123' },
      { type: 'work', value: '617-253-1212' },
      { type: 'fax', value: '617-253-0000' },
    ],
    title: 'Research Scientist',
    preferredLanguage: 'en-US',
    addresses: [{ type: 'work', formatted: '77 Massachusetts Ave', primary: true }],
    [urn.enterpriseUser]: { department: 'Physics', employeeNumber: '901234', manager: { value: 'x' } },
    roles: [],
  };
}

/** The body Okta sends to create a user (its SCIM 2.0 test suite shape). */
export function oktaUser(userName = `okta.${unique()}@mit.edu`) {
  return {
    schemas: [urn.user],
    userName,
    name: { givenName: 'Ola', familyName: 'Okta' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Ola Okta',
    locale: 'en-US',
    externalId: `00u${unique()}${unique()}`,
    groups: [],
    password: 'not-stored-1mz050nq',
    active: true,
  };
}

/** A PatchOp message. */
export const patchOp = (...operations: unknown[]) => ({ schemas: [urn.patchOp], Operations: operations });
