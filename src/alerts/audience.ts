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
  addresses: Record<string, number>;
  suppressed: Record<string, number>;
}

/** How many people and reachable addresses per channel an audience has right now (before sending). */
export async function estimateReach(
  q: Queryable,
  campusId: string,
  spec: AudienceSpec,
  channels: string[],
): Promise<ReachEstimate> {
  const selected = selectedPeople(q, await resolveAudience(q, campusId, spec));
  const people = await sql<{ n: number }>`select count(*)::int as n from ${selected} p`.execute(q);
  const rows = await sql<{ channel: string; reachable: number; suppressed: number }>`
    select c.channel, count(*) filter (where c.opted_out_at is null)::int as reachable,
           count(*) filter (where c.opted_out_at is not null)::int as suppressed
    from ${selected} p join ${contactsOnChannels(q, channels)} c on c.person_id = p.id
    group by c.channel`.execute(q);
  const addresses: Record<string, number> = {};
  const suppressed: Record<string, number> = {};
  for (const ch of channels.filter((c) => ['sms', 'voice', 'email'].includes(c))) {
    const row = rows.rows.find((r) => r.channel === ch);
    addresses[ch] = row?.reachable ?? 0;
    suppressed[ch] = row?.suppressed ?? 0;
  }
  return { people: people.rows[0]?.n ?? 0, addresses, suppressed };
}
