/**
 * What the directory API answers (src/directory/*.routes.ts, src/identity/tokens.routes.ts). The
 * value sets come from the server's table types, so a new affiliation or class fails to compile here.
 */
import type {
  Affiliation,
  Channel,
  CleryClass,
  Feed,
  GroupRule,
  LocationKind,
  SyncStatus,
} from '../../../../src/directory/directory.tables';
import type { ApiTokenView } from '../../../../src/identity/api-tokens.types';

export type { Affiliation, Channel, CleryClass, Feed, GroupRule, LocationKind, SyncStatus };

export const affiliationList = [
  'student',
  'employee',
  'affiliate',
  'extended',
] as const satisfies readonly Affiliation[];
export const channelList = ['email', 'sms', 'voice', 'office_phone'] as const satisfies readonly Channel[];
export const locationKindList = [
  'building',
  'zone',
  'residence_hall',
] as const satisfies readonly LocationKind[];
export const cleryClassList = [
  'on_campus',
  'on_campus_student_housing',
  'noncampus',
  'public_property',
  'patrol_area',
] as const satisfies readonly CleryClass[];

/** GET /api/v1/people (each), GET /api/v1/people/:id (person). */
export interface Person {
  id: string;
  institutionalId: string | null;
  affiliation: Affiliation;
  status: 'active' | 'inactive';
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  department: string | null;
  homeBuilding: string | null;
  residenceHall: string | null;
  preferredLanguage: string;
  source: 'csv' | 'scim' | 'ldap' | 'self' | 'manual';
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who provided a contact: the feed (replaced by each sync), the person, or an operator (kept by syncs). */
export type ContactSource = 'directory' | 'self' | 'operator';

export interface Contact {
  id: string;
  channel: Channel;
  address: string;
  source: ContactSource;
  primary: boolean;
  verifiedAt: string | null;
  optedOutAt: string | null;
  optOutReason: string | null;
  removableByOwner: boolean;
  operatorMayOptIn: boolean;
  createdAt: string;
}

export interface PeoplePage {
  people: Person[];
  nextCursor: string | null;
}

export interface Group {
  id: string;
  campus: string;
  name: string;
  description: string | null;
  kind: 'static' | 'dynamic';
  rule: GroupRule | null;
  source: string;
  memberCount?: number;
  createdAt: string;
  updatedAt: string;
}

export interface GroupMembers {
  total: number;
  members: Person[];
  nextCursor: string | null;
}

export interface Location {
  id: string;
  campus: string;
  kind: LocationKind;
  code: string;
  name: string;
  parentId: string | null;
  parentCode: string | null;
  address: string | null;
  cleryClass: CleryClass | null;
  createdAt: string;
  updatedAt: string;
}

export interface CleryPeriod {
  id: string;
  cleryClass: CleryClass;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface LocationDetail extends Location {
  outline: unknown;
  cleryClasses: CleryPeriod[];
}

export interface SyncCounts {
  rows?: number;
  valid?: number;
  errors?: number;
  adds?: number;
  changes?: number;
  reactivations?: number;
  deactivations?: number;
  unchanged?: number;
  durationMs?: number;
}

export interface SyncRun {
  id: string;
  feed: Feed;
  mode: 'dry_run' | 'apply';
  status: SyncStatus;
  forced: boolean;
  inputName: string | null;
  requestedBy: string | null;
  counts: SyncCounts;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface DiffPerson {
  institutionalId: string;
  displayName: string;
  affiliation: string;
}

interface SyncDiff {
  adds: DiffPerson[];
  changes: Array<{ institutionalId: string; displayName: string; fields: string[] }>;
  deactivations: DiffPerson[];
  truncated: boolean;
}

interface RowError {
  line: number;
  institutionalId: string | null;
  reason: string;
}

export interface SyncRunDetail extends SyncRun {
  diff: SyncDiff | null;
  rowErrors: RowError[];
}

export interface Feeds {
  csv: { columns: Array<{ field: string; column: string; required: boolean }> };
  ldap: { configured: boolean };
  scim: { url: string };
  maxDeactivationPercent: number;
}

/** One token of GET /api/v1/tokens and /api/v1/tokens/scim (src/identity/api-tokens.types.ts). */
export type ApiToken = ApiTokenView;

export interface TokenList {
  tokens: ApiToken[];
  maxDays: number;
  scimUrl: string;
}
