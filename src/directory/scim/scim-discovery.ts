import { AppError } from '../../platform/errors.js';
import { listResponse, maxResults } from './scim-list.js';
import { urn } from './scim-urns.js';

type AttributeType = 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
interface AttributeOptions {
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: unknown[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

/** One attribute definition (RFC 7643 §7) with the defaults of §2.2 spelled out. */
function attr(name: string, type: AttributeType, description: string, options: AttributeOptions = {}) {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description,
    required: options.required ?? false,
    ...(type === 'string' || type === 'reference' ? { caseExact: options.caseExact ?? false } : {}),
    mutability: options.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: options.uniqueness ?? 'none',
    ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
    ...(options.canonicalValues ? { canonicalValues: options.canonicalValues } : {}),
    ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
  };
}

const multiValue = (what: string, types: string[]) => [
  attr('value', 'string', `The ${what}.`),
  attr('type', 'string', `The kind of ${what}.`, { canonicalValues: types }),
  attr('primary', 'boolean', `Whether this is the preferred ${what}.`),
];

const userSchema = {
  id: urn.user,
  name: 'User',
  description: 'A member of the campus community who receives alerts.',
  attributes: [
    attr('userName', 'string', 'Institutional account name; unique on the campus.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'complex', 'The person’s name.', {
      subAttributes: [
        attr('givenName', 'string', 'Given name.'),
        attr('familyName', 'string', 'Family name.'),
      ],
    }),
    attr('displayName', 'string', 'Name shown to operators; "given family" when absent.'),
    attr(
      'userType',
      'string',
      'Affiliation (student, employee, affiliate or a value the profile maps to one).',
    ),
    attr('preferredLanguage', 'string', 'Language of alerts, such as "en" or "en-US".'),
    attr('active', 'boolean', 'False deprovisions the person at once: no more alerts.'),
    attr('emails', 'complex', 'Email addresses that receive alerts.', {
      multiValued: true,
      subAttributes: multiValue('email address', ['work', 'home', 'other']),
    }),
    attr('phoneNumbers', 'complex', 'Mobile numbers receive texts and calls; other numbers calls only.', {
      multiValued: true,
      subAttributes: multiValue('phone number', ['mobile', 'work', 'home', 'other']),
    }),
  ],
};

const enterpriseUserSchema = {
  id: urn.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User extension: the department, for targeting alerts.',
  attributes: [attr('department', 'string', 'Department or unit.')],
};

const groupSchema = {
  id: urn.group,
  name: 'Group',
  description: 'A static group of people, for targeting alerts.',
  attributes: [
    attr('displayName', 'string', 'Group name; unique on the campus.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('members', 'complex', 'People in the group.', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', 'The id of a provisioned User.', { mutability: 'immutable' }),
        attr('$ref', 'reference', 'URI of the User.', { mutability: 'immutable', referenceTypes: ['User'] }),
        attr('display', 'string', 'The User’s displayName.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

function withMeta<T extends { id: string }>(resource: T, resourceType: string, location: string) {
  return { ...resource, meta: { resourceType, location } };
}

/** What this SCIM service supports (GET /ServiceProviderConfig, RFC 7643 §5). */
export function serviceProviderConfig(base: string) {
  return {
    schemas: [urn.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A Tocsin API token holding the scim.provision permission, as "Authorization: Bearer tocsin_…".',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

function resourceTypes(base: string) {
  return [
    withMeta(
      {
        schemas: [urn.resourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'People of the campus community',
        schema: urn.user,
        schemaExtensions: [{ schema: urn.enterpriseUser, required: false }],
      },
      'ResourceType',
      `${base}/ResourceTypes/User`,
    ),
    withMeta(
      {
        schemas: [urn.resourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Static groups of people',
        schema: urn.group,
      },
      'ResourceType',
      `${base}/ResourceTypes/Group`,
    ),
  ];
}

function schemas(base: string) {
  return [userSchema, enterpriseUserSchema, groupSchema].map((s) =>
    withMeta({ schemas: [urn.schema], ...s }, 'Schema', `${base}/Schemas/${s.id}`),
  );
}

/** GET /ResourceTypes, or one of them by id. */
export function resourceTypesResponse(base: string, id?: string) {
  return listOrOne(resourceTypes(base), id, 'ResourceType');
}

/** GET /Schemas, or one schema by its URN. */
export function schemasResponse(base: string, id?: string) {
  return listOrOne(schemas(base), id, 'Schema');
}

function listOrOne<T extends { id: string }>(all: T[], id: string | undefined, what: string) {
  if (id === undefined) return listResponse(all, all.length, 1);
  const found = all.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new AppError('not_found', `${what} ${id} was not found.`);
  return found;
}
