import type { Selectable } from 'kysely';
import type { Profile } from '../../platform/profile.js';
import { normalizeEmail, normalizePhone, textNumbersOnly } from '../contacts.policy.js';
import {
  affiliations,
  type Affiliation,
  type Channel,
  type ContactsTable,
  type PeopleTable,
} from '../directory.tables.js';
import { invalidSyntax, invalidValue } from './scim-errors.js';
import { attribute, isObject, urn } from './scim-urns.js';

/** A row of the people table. */
export type PersonRow = Selectable<PeopleTable>;
/** The columns of a contact the SCIM resource shows. */
export type ContactRow = Pick<Selectable<ContactsTable>, 'person_id' | 'channel' | 'address' | 'is_primary'>;

/** One directory contact a SCIM resource asks for. */
export interface DirectoryContact {
  address: string;
  primary: boolean;
}
/** Wanted directory contacts by channel. */
export type DirectoryContacts = Record<Channel, DirectoryContact[]>;

/** What a SCIM User resource says about a person, validated and normalised. */
export interface ScimPersonFields {
  institutionalId: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  department: string | null;
  preferredLanguage: string;
  /** null: the resource does not say (a new person is an employee; an existing one keeps theirs). */
  affiliation: Affiliation | null;
  /** null: the resource does not say (a new person is active; an existing one keeps their status). */
  active: boolean | null;
  contacts: DirectoryContacts;
}

/** The profile rules the mapping needs. */
export interface MappingRules {
  defaultPhoneRegion: string;
  affiliationValues: Profile['directory']['affiliationValues'];
}

const userNamePattern = /^[A-Za-z0-9._@-]{1,100}$/;
const languagePattern = /^[a-z]{2}(-[A-Z]{2})?$/;
// Phone types that reach a handset that reads texts; fax and pager numbers are not contacts.
const ignoredPhoneTypes = new Set(['fax', 'pager']);

/** Read a SCIM User resource (POST, PUT, or the result of a PATCH) into person fields. */
export function personFromScim(resource: unknown, rules: MappingRules): ScimPersonFields {
  if (!isObject(resource)) throw invalidSyntax('The body must be a SCIM User resource (a JSON object).');
  const userName = attribute(resource, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '')
    throw invalidValue('userName is required: the person’s institutional account name.');
  if (!userNamePattern.test(userName.trim()))
    throw invalidValue(
      `userName "${userName}" may only hold letters, digits and . _ @ - (at most 100 characters).`,
    );
  const name = attribute(resource, 'name');
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue('name must be an object.');
  const givenName = optionalText(name ? attribute(name, 'givenName') : undefined, 'name.givenName', 200);
  const familyName = optionalText(name ? attribute(name, 'familyName') : undefined, 'name.familyName', 200);
  const enterprise = attribute(resource, urn.enterpriseUser);
  return {
    institutionalId: userName.trim(),
    externalId: optionalText(attribute(resource, 'externalId'), 'externalId', 255),
    givenName,
    familyName,
    displayName: displayNameOf(resource, givenName, familyName, userName.trim()),
    department: isObject(enterprise)
      ? optionalText(attribute(enterprise, 'department'), 'department', 200)
      : null,
    preferredLanguage: languageOf(attribute(resource, 'preferredLanguage')),
    affiliation: affiliationOf(attribute(resource, 'userType'), rules),
    active: booleanOf(attribute(resource, 'active'), 'active'),
    contacts: contactsOf(resource, rules.defaultPhoneRegion),
  };
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidValue(`${field} must be a string.`);
  const text = value.trim();
  if (text.includes('\0')) throw invalidValue(`${field} holds a NUL character.`);
  if (text.length > max) throw invalidValue(`${field} is longer than ${max} characters.`);
  return text === '' ? null : text;
}

function displayNameOf(
  resource: Record<string, unknown>,
  given: string | null,
  family: string | null,
  userName: string,
): string {
  const explicit = optionalText(attribute(resource, 'displayName'), 'displayName', 300);
  return explicit ?? ([given, family].filter(Boolean).join(' ') || userName);
}

/** preferredLanguage as a language tag ("en", "en-US"); Accept-Language lists give their first tag. */
function languageOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'en';
  if (typeof value !== 'string') throw invalidValue('preferredLanguage must be a string such as "en-US".');
  const first = value.split(/[,;]/)[0]!.trim().replace('_', '-');
  const [lang, region] = first.split('-');
  const tag = region ? `${lang!.toLowerCase()}-${region.toUpperCase()}` : lang!.toLowerCase();
  if (!languagePattern.test(tag))
    throw invalidValue(`preferredLanguage "${value}" is not a language tag such as "en" or "en-US".`);
  return tag;
}

/** A SCIM boolean; Microsoft Entra ID sends "True"/"False" as strings. */
function booleanOf(value: unknown, field: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`${field} must be true or false, not ${JSON.stringify(value)}.`);
}

function affiliationOf(value: unknown, rules: MappingRules): Affiliation | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidValue('userType must be a string.');
  const wanted = value.trim().toLowerCase();
  const byValue = (Object.entries(rules.affiliationValues) as Array<[Affiliation, string[]]>).find(
    ([, values]) => values.some((v) => v.toLowerCase() === wanted),
  );
  if (byValue) return byValue[0];
  const canonical = affiliations.find((a) => a === wanted);
  if (canonical) return canonical;
  const accepted = [...new Set(Object.values(rules.affiliationValues).flat())].join(', ');
  throw invalidValue(`userType "${value}" is not an affiliation Tocsin knows; use one of: ${accepted}.`);
}

// A person has a handful of addresses; a list longer than this is a mistake in the IdP's mapping.
const maxValues = 50;

function listOf(resource: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const value = attribute(resource, field);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidSyntax(`${field} must be an array.`);
  if (value.length > maxValues) throw invalidValue(`${field} may hold at most ${maxValues} values.`);
  return value.map((item) => {
    if (!isObject(item)) throw invalidSyntax(`Each of ${field} must be an object with a value.`);
    return item;
  });
}

/** The elements of a multi-valued attribute that carry a value (empty ones are cleared values). */
function withValues(resource: Record<string, unknown>, field: string) {
  return listOf(resource, field).flatMap((item) => {
    const value = attribute(item, 'value');
    if (value === undefined || value === null || value === '') return [];
    if (typeof value !== 'string') throw invalidValue(`${field}.value must be a string.`);
    const type = attribute(item, 'type');
    return [
      {
        value,
        type: typeof type === 'string' ? type.toLowerCase() : '',
        primary: booleanOf(attribute(item, 'primary'), `${field}.primary`) === true,
      },
    ];
  });
}

/**
 * A user's contacts: emails; a "mobile" number is texted and called; a "work" number is an office
 * phone (called on the office_phones channel, never texted, and not also a voice contact, so one
 * alert does not ring the same desk twice); any other type but fax and pager is called.
 */
function contactsOf(resource: Record<string, unknown>, region: string): DirectoryContacts {
  const contacts: DirectoryContacts = { email: [], sms: [], voice: [], office_phone: [] };
  for (const email of withValues(resource, 'emails')) {
    const normalized = normalizeEmail(email.value);
    if (!normalized.ok) throw invalidValue(`emails: ${normalized.reason}.`);
    contacts.email.push({ address: normalized.address, primary: email.primary });
  }
  for (const phone of withValues(resource, 'phoneNumbers')) {
    if (ignoredPhoneTypes.has(phone.type)) continue;
    const normalized = normalizePhone(phone.value.replace(/^tel:/i, ''), region);
    if (!normalized.ok) throw invalidValue(`phoneNumbers: ${normalized.reason}.`);
    const contact = { address: normalized.address, primary: phone.primary };
    if (phone.type === 'work') {
      contacts.office_phone.push(contact);
      continue;
    }
    if (phone.type === 'mobile') contacts.sms.push(contact);
    contacts.voice.push(contact);
  }
  const office = contacts.office_phone.map((c) => c.address);
  const notOffice = (list: DirectoryContact[]) =>
    list.filter((c) => textNumbersOnly([c.address], office).length);
  return {
    email: oneEachWithPrimary(contacts.email),
    sms: oneEachWithPrimary(notOffice(contacts.sms)),
    voice: oneEachWithPrimary(notOffice(contacts.voice)),
    office_phone: oneEachWithPrimary(contacts.office_phone),
  };
}

/** Each address once; exactly one primary (the first flagged, else the first). */
function oneEachWithPrimary(list: DirectoryContact[]): DirectoryContact[] {
  const unique = [...new Map(list.map((c) => [c.address, c])).keys()];
  const primary = list.find((c) => c.primary)?.address ?? unique[0];
  return unique.map((address) => ({ address, primary: address === primary }));
}

/** The SCIM User resource of a person and their directory contacts. */
export function userResource(
  person: PersonRow,
  contacts: ContactRow[],
  baseUrl: string,
): Record<string, unknown> {
  const mine = contacts.filter((c) => c.person_id === person.id);
  const resource: Record<string, unknown> = {
    schemas: person.department ? [urn.user, urn.enterpriseUser] : [urn.user],
    id: person.id,
    ...(person.external_id ? { externalId: person.external_id } : {}),
    userName: person.institutional_id,
    name: {
      ...(person.given_name ? { givenName: person.given_name } : {}),
      ...(person.family_name ? { familyName: person.family_name } : {}),
    },
    displayName: person.display_name,
    userType: person.affiliation,
    preferredLanguage: person.preferred_language,
    active: person.status === 'active',
    emails: mine
      .filter((c) => c.channel === 'email')
      .map((c) => ({ value: c.address, type: 'work', primary: c.is_primary })),
    phoneNumbers: phoneNumbersOf(mine),
    ...(person.department ? { [urn.enterpriseUser]: { department: person.department } } : {}),
    meta: {
      resourceType: 'User',
      created: person.created_at.toISOString(),
      lastModified: person.updated_at.toISOString(),
      location: `${baseUrl}/Users/${person.id}`,
    },
  };
  return resource;
}

/**
 * Phone numbers back from contacts: a number that takes texts is "mobile", an office phone "work",
 * a voice-only one "other". An element is primary when its contact is primary on every channel it
 * stands for, so reading a resource back and writing it again changes nothing.
 */
function phoneNumbersOf(contacts: ContactRow[]) {
  const on = (channel: ContactRow['channel']) =>
    new Map(contacts.filter((c) => c.channel === channel).map((c) => [c.address, c.is_primary]));
  const sms = on('sms');
  const voice = on('voice');
  const mobile = [...sms].map(([value, primary]) => ({
    value,
    type: 'mobile',
    primary: primary && (voice.get(value) ?? true),
  }));
  const other = [...voice]
    .filter(([value]) => !sms.has(value))
    .map(([value, primary]) => ({ value, type: 'other', primary }));
  // At most one primary element: an office phone is primary only when no called number is.
  const called = [...mobile, ...other].some((p) => p.primary);
  const work = [...on('office_phone')].map(([value, primary]) => ({
    value,
    type: 'work',
    primary: primary && !called,
  }));
  return [...mobile, ...work, ...other];
}
