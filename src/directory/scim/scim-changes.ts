import type { Updateable } from 'kysely';
import { channels, type Channel, type PeopleTable } from '../directory.tables.js';
import type {
  ContactRow,
  DirectoryContact,
  DirectoryContacts,
  PersonRow,
  ScimPersonFields,
} from './scim-mapping.js';

/** What writing a SCIM resource over a person changes. */
export interface PersonChanges {
  /** Column values to set (empty when nothing changes). */
  set: Updateable<PeopleTable>;
  /** SCIM attribute names that change, for the audit row (never their values). */
  changed: string[];
  /** Channels whose directory contacts change. */
  channels: Channel[];
}

type Column =
  'institutional_id' | 'external_id' | 'given_name' | 'family_name' | 'display_name' | 'department';
const textColumns: Array<[Column, keyof ScimPersonFields, string]> = [
  ['institutional_id', 'institutionalId', 'userName'],
  ['external_id', 'externalId', 'externalId'],
  ['given_name', 'givenName', 'name.givenName'],
  ['family_name', 'familyName', 'name.familyName'],
  ['display_name', 'displayName', 'displayName'],
  ['department', 'department', 'department'],
];

/**
 * Compare a person with the fields a SCIM resource carries. Fields the resource leaves unsaid
 * (active, userType) keep their value; a change of `active` sets or clears deactivated_at.
 */
export function personChanges(
  person: PersonRow,
  contacts: ContactRow[],
  next: ScimPersonFields,
  now: Date,
): PersonChanges {
  const set: Updateable<PeopleTable> = {};
  const changed: string[] = [];
  for (const [column, field, scimName] of textColumns) {
    if (person[column] === next[field]) continue;
    set[column] = next[field] as string;
    changed.push(scimName);
  }
  if (person.preferred_language !== next.preferredLanguage) {
    set.preferred_language = next.preferredLanguage;
    changed.push('preferredLanguage');
  }
  if (next.affiliation && next.affiliation !== person.affiliation) {
    set.affiliation = next.affiliation;
    changed.push('userType');
  }
  if (next.active !== null && next.active !== (person.status === 'active')) {
    set.status = next.active ? 'active' : 'inactive';
    set.deactivated_at = next.active ? null : now;
    changed.push('active');
  }
  const changedChannels = channels.filter((c) => !sameContacts(contacts, c, next.contacts[c]));
  if (changedChannels.includes('email')) changed.push('emails');
  if (changedChannels.some((c) => c !== 'email')) changed.push('phoneNumbers');
  return { set, changed, channels: changedChannels };
}

function sameContacts(current: ContactRow[], channel: Channel, wanted: DirectoryContact[]): boolean {
  const key = (c: { address: string; primary: boolean }) => `${c.address}\u0000${c.primary}`;
  const have = current
    .filter((c) => c.channel === channel)
    .map((c) => key({ address: c.address, primary: c.is_primary }))
    .sort();
  const want = wanted.map(key).sort();
  return have.length === want.length && have.every((k, i) => k === want[i]);
}

/** The SCIM attribute names a new person's resource sets, for the audit row. */
export function fieldsSet(fields: ScimPersonFields): string[] {
  const names = textColumns.filter(([, field]) => fields[field] !== null).map(([, , name]) => name);
  const contacts: DirectoryContacts = fields.contacts;
  if (contacts.email.length > 0) names.push('emails');
  if (contacts.sms.length + contacts.voice.length + contacts.office_phone.length > 0)
    names.push('phoneNumbers');
  return names;
}
