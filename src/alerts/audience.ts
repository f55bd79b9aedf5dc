import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { findGroupDefinitions } from '../directory/groups.queries.js';
import { findLocationsByCodes, locationIdsInside } from '../directory/locations.queries.js';
import { contactsOnChannels, selectedPeople, type PeopleSelection } from '../directory/people-selection.js';
import type { AudienceSpec } from './alerts.tables.js';

/**
 * Check an audience names something and that its groups and location codes exist; return it as the
 * directory's selection of people (zones expanded to the locations inside them).
 */
export async function resolveAudience(
  q: Queryable,
  campusId: string,
  spec: AudienceSpec,
): Promise<PeopleSelection> {
  const any =
    spec.everyone || spec.affiliations?.length || spec.groupIds?.length || spec.locationCodes?.length;
  if (!any)
    throw new AppError(
      'validation',
      'Choose an audience: everyone, affiliations, groups or buildings/zones.',
      { field: 'audience' },
    );
  const groups = await findGroupDefinitions(q, campusId, spec.groupIds ?? []);
  const missingGroups = (spec.groupIds ?? []).filter((id) => !groups.some((g) => g.id === id));
  if (missingGroups.length > 0)
    throw new AppError('validation', `Unknown group(s): ${missingGroups.join(', ')}.`, {
      field: 'audience.groupIds',
    });
  const codes = (spec.locationCodes ?? []).map((c) => c.toUpperCase());
  const locations = await findLocationsByCodes(q, campusId, codes);
  const missingCodes = codes.filter((c) => !locations.some((l) => l.code.toUpperCase() === c));
  if (missingCodes.length > 0)
    throw new AppError('validation', `Unknown building or zone code(s): ${missingCodes.join(', ')}.`, {
      field: 'audience.locationCodes',
    });
  const zoneIds = locations.filter((l) => l.kind === 'zone').map((l) => l.id);
  const inZones = await locationIdsInside(q, zoneIds);
  return {
    campusId,
    everyone: spec.everyone,
    affiliations: spec.affiliations,
    groups,
    locationIds: [...locations.map((l) => l.id), ...inZones],
  };
}

export interface ReachEstimate {
  people: number;
  /** Per personal channel, the addresses it would reach (office_phones: distinct office numbers). */
  addresses: Record<string, number>;
  suppressed: Record<string, number>;
  /** The paging servers the office_phones channel also pushes to (0 without that channel). */
  pagingServers: number;
}

/** How many people and reachable addresses per channel an audience has right now (before sending). */
export async function estimateReach(
  q: Queryable,
  campusId: string,
  spec: AudienceSpec,
  channels: string[],
  pagingServers: number,
): Promise<ReachEstimate> {
  const selected = selectedPeople(q, await resolveAudience(q, campusId, spec));
  const personal = ['sms', 'voice', 'email', 'office_phones'];
  const kinds = channels.map((c) => (c === 'office_phones' ? 'office_phone' : c));
  const people = await sql<{ n: number }>`select count(*)::int as n from ${selected} p`.execute(q);
  const rows = await sql<{ channel: string; reachable: number; suppressed: number }>`
    select case when c.channel = 'office_phone' then 'office_phones' else c.channel end as channel,
           -- an office number several people share is called once
           count(distinct c.address) filter (where c.opted_out_at is null and c.channel = 'office_phone')::int
             + count(*) filter (where c.opted_out_at is null and c.channel <> 'office_phone')::int as reachable,
           count(*) filter (where c.opted_out_at is not null)::int as suppressed
    from ${selected} p join ${contactsOnChannels(q, kinds)} c on c.person_id = p.id
    group by 1`.execute(q);
  const addresses: Record<string, number> = {};
  const suppressed: Record<string, number> = {};
  for (const ch of channels.filter((c) => personal.includes(c))) {
    const row = rows.rows.find((r) => r.channel === ch);
    addresses[ch] = row?.reachable ?? 0;
    suppressed[ch] = row?.suppressed ?? 0;
  }
  return {
    people: people.rows[0]?.n ?? 0,
    addresses,
    suppressed,
    pagingServers: channels.includes('office_phones') ? pagingServers : 0,
  };
}
