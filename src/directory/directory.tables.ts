import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export const affiliations = ['student', 'employee', 'affiliate', 'extended'] as const;
export type Affiliation = (typeof affiliations)[number];
/** Contact kinds: `office_phone` is a desk number from the directory feeds, called and never texted. */
export const channels = ['sms', 'voice', 'email', 'office_phone'] as const;
export type Channel = (typeof channels)[number];
export const locationKinds = ['building', 'zone', 'residence_hall'] as const;
export type LocationKind = (typeof locationKinds)[number];
export const cleryClasses = [
  'on_campus',
  'on_campus_student_housing',
  'noncampus',
  'public_property',
  'patrol_area',
] as const;
export type CleryClass = (typeof cleryClasses)[number];
/** Who provided a contact: a feed (replaced by each sync), the person, or an operator (kept by syncs). */
export type ContactSource = 'directory' | 'self' | 'operator';

type PersonSource = 'csv' | 'scim' | 'ldap' | 'self' | 'manual';
export type Feed = 'csv' | 'ldap' | 'scim';
export type SyncStatus = 'queued' | 'running' | 'previewed' | 'applied' | 'refused' | 'failed';

/** A dynamic group's rule: every listed dimension must match (values within one are alternatives). */
export interface GroupRule {
  affiliations?: Affiliation[];
  departments?: string[];
  buildingCodes?: string[];
  residenceHallCodes?: string[];
}

interface LocationsTable {
  id: Generated<string>;
  campus_id: string;
  kind: LocationKind;
  code: string;
  name: string;
  parent_id: string | null;
  address: string | null;
  outline: NullableJson<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface LocationCleryClassesTable {
  id: Generated<string>;
  location_id: string;
  clery_class: CleryClass;
  effective_from: ColumnType<string, string, string>;
  effective_to: ColumnType<string | null, string | null, string | null>;
}

export interface PeopleTable {
  id: Generated<string>;
  campus_id: string;
  institutional_id: string | null;
  external_id: string | null;
  affiliation: Affiliation;
  status: Generated<'active' | 'inactive'>;
  given_name: string | null;
  family_name: string | null;
  display_name: string;
  department: string | null;
  home_building_id: string | null;
  residence_hall_id: string | null;
  preferred_language: Generated<string>;
  source: PersonSource;
  deactivated_at: Date | null;
  /** When a SCIM client deleted the person: SCIM answers 404 for them; the directory keeps them. */
  scim_deleted_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ContactsTable {
  id: Generated<string>;
  person_id: string;
  channel: Channel;
  address: string;
  source: ContactSource;
  is_primary: Generated<boolean>;
  verified_at: Date | null;
  opted_out_at: Date | null;
  opt_out_reason: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GroupsTable {
  id: Generated<string>;
  campus_id: string;
  name: string;
  description: string | null;
  kind: 'static' | 'dynamic';
  rule: NullableJson<GroupRule>;
  source: Generated<'manual' | 'scim' | 'ldap' | 'csv'>;
  external_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface GroupMembersTable {
  group_id: string;
  person_id: string;
  added_at: Generated<Date>;
}

interface SyncRunsTable {
  id: Generated<string>;
  campus_id: string;
  feed: Feed;
  mode: 'dry_run' | 'apply';
  status: SyncStatus;
  forced: Generated<boolean>;
  input_name: string | null;
  input_sha256: string | null;
  requested_by: string | null;
  counts: Json<Record<string, number>>;
  row_errors: Json<Array<{ line: number; reason: string }>>;
  diff: NullableJson<unknown>;
  message: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Generated<Date>;
}

interface SyncInputsTable {
  run_id: string;
  content: Buffer;
}

export interface DirectoryTables {
  locations: LocationsTable;
  location_clery_classes: LocationCleryClassesTable;
  people: PeopleTable;
  contacts: ContactsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sync_runs: SyncRunsTable;
  sync_inputs: SyncInputsTable;
}
