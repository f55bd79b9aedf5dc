import { formatTime, plural } from '../../common/format';
import type {
  Affiliation,
  Channel,
  CleryClass,
  ContactSource,
  Feed,
  LocationKind,
  SyncStatus,
} from './directory-types';

/** Words for the directory's codes, as the screens show them. */
export const affiliationLabel: Record<Affiliation, string> = {
  student: 'Student',
  employee: 'Employee',
  affiliate: 'Affiliate',
  extended: 'Extended community',
};

export const contactSourceLabel: Record<ContactSource, string> = {
  directory: 'Directory',
  self: 'Self',
  operator: 'Added by an operator',
};

export const channelLabel: Record<Channel, string> = {
  email: 'Email',
  sms: 'SMS',
  voice: 'Voice',
  office_phone: 'Office phone',
};

export const locationKindLabel: Record<LocationKind, string> = {
  building: 'Building',
  zone: 'Zone',
  residence_hall: 'Residence hall',
};

export const cleryClassLabel: Record<CleryClass, string> = {
  on_campus: 'On campus',
  on_campus_student_housing: 'On campus: student housing',
  noncampus: 'Noncampus',
  public_property: 'Public property',
  patrol_area: 'Patrol area',
};

export const feedLabel: Record<Feed, string> = { csv: 'CSV', ldap: 'LDAP', scim: 'SCIM' };

export const syncStatusLabel: Record<SyncStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  previewed: 'Previewed, not applied',
  applied: 'Applied',
  refused: 'Refused by the safety brake',
  failed: 'Failed',
};

export const personSourceLabel: Record<string, string> = {
  csv: 'CSV feed',
  scim: 'SCIM',
  ldap: 'LDAP feed',
  self: 'Self-registered',
  manual: 'Added by an operator',
};

/** Feeds that own a person's record: the next sync puts back what they provided. */
export const feedSources = new Set(['csv', 'scim', 'ldap']);

/** The field names a sync diff reports, in words. */
export const diffFieldLabel: Record<string, string> = {
  affiliation: 'affiliation',
  givenName: 'given name',
  familyName: 'family name',
  displayName: 'display name',
  department: 'department',
  homeBuildingCode: 'home building',
  residenceHallCode: 'residence hall',
  preferredLanguage: 'language',
  emails: 'emails',
  phones: 'phones',
  officePhones: 'office phones',
  status: 'comes back (reactivated)',
};

/** A timestamp with its date, in the campus's zone (the console's one formatter); an em dash for none. */
export const when = (iso: string | null | undefined): string => formatTime(iso);

/** A duration in milliseconds as people say it. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** "1 person", "3 people" and the like (the console's one plural helper). */
export const count = (n: number, one: string, many: string): string => plural(n, one, many);

/** Opt-out reasons the server records by itself, in words. */
export const optOutReasonLabel: Record<string, string> = {
  sms_stop: 'Replied STOP by SMS',
  'unsubscribed by link': 'Unsubscribed with the link in an alert email',
  'removed by the registrant': 'Removed themselves from the extended community',
};
