import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { isGroupMember, type GroupDefinition } from '../directory/group-members.js';
import type { AudienceSpec } from './alerts.tables.js';

/** Check an audience names something and that its groups and location codes exist; return the groups. */
export async function resolveAudience(
  q: Queryable,
  campusId: string,
  spec: AudienceSpec,
): Promise<{ groups: GroupDefinition[]; locationIds: string[] }> {
  const any =
    spec.everyone || spec.affiliations?.length || spec.groupIds?.length || spec.locationCodes?.length;
  if (!any)
    throw new AppError(
      'validation',
      'Choose an audience: everyone, affiliations, groups or buildings/zones.',
      { field: 'audience' },
    );
  const groupRows = spec.groupIds?.length
    ? await q
        .selectFrom('groups')
        .selectAll()
        .where('campus_id', '=', campusId)
        .where('id', 'in', spec.groupIds)
        .execute()
    : [];
  const missingGroups = (spec.groupIds ?? []).filter((id) => !groupRows.some((g) => g.id === id));
  if (missingGroups.length > 0)
    throw new AppError('validation', `Unknown group(s): ${missingGroups.join(', ')}.`, {
      field: 'audience.groupIds',
    });
  const codes = (spec.locationCodes ?? []).map((c) => c.toUpperCase());
  const locations = codes.length
    ? await q
        .selectFrom('locations')
        .select(['id', 'code', 'kind'])
        .where('campus_id', '=', campusId)
        .where(sql`upper(code)`, 'in', codes)
        .execute()
    : [];
  const missingCodes = codes.filter((c) => !locations.some((l) => l.code.toUpperCase() === c));
  if (missingCodes.length > 0)
    throw new AppError('validation', `Unknown building or zone code(s): ${missingCodes.join(', ')}.`, {
      field: 'audience.locationCodes',
    });
  const zoneIds = locations.filter((l) => l.kind === 'zone').map((l) => l.id);
  const inZones = zoneIds.length
    ? await q.selectFrom('locations').select('id').where('parent_id', 'in', zoneIds).execute()
    : [];
  const groups: GroupDefinition[] = groupRows.map((g) => ({
    id: g.id,
    campusId: g.campus_id,
    name: g.name,
    kind: g.kind,
    rule: g.rule,
  }));
  return { groups, locationIds: [...locations.map((l) => l.id), ...inZones.map((l) => l.id)] };
}

/**
 * The condition a people row (alias p) meets to be in the audience: active, on the campus, and
 * matching any of the chosen dimensions (everyone, affiliations, groups, home building or residence
 * hall in the chosen buildings and zones).
 */
export function audienceCondition(
  q: Queryable,
  campusId: string,
  spec: AudienceSpec,
  resolved: { groups: GroupDefinition[]; locationIds: string[] },
): RawBuilder<boolean> {
  const base = sql`p.campus_id = ${campusId} and p.status = 'active'`;
  if (spec.everyone) return sql<boolean>`(${base})`;
  const any: RawBuilder<unknown>[] = [];
  if (spec.affiliations?.length) any.push(sql`p.affiliation = any(${spec.affiliations}::text[])`);
  for (const group of resolved.groups) any.push(isGroupMember(q, group, 'p'));
  if (resolved.locationIds.length) {
    any.push(
      sql`(p.home_building_id = any(${resolved.locationIds}::uuid[]) or p.residence_hall_id = any(${resolved.locationIds}::uuid[]))`,
    );
  }
  return sql<boolean>`(${base} and (${sql.join(any, sql` or `)}))`;
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
  const resolved = await resolveAudience(q, campusId, spec);
  const where = audienceCondition(q, campusId, spec, resolved);
  const people = await sql<{ n: number }>`select count(*)::int as n from people p where ${where}`.execute(q);
  const rows = await sql<{ channel: string; reachable: number; suppressed: number }>`
    select c.channel, count(*) filter (where c.opted_out_at is null)::int as reachable,
           count(*) filter (where c.opted_out_at is not null)::int as suppressed
    from people p join contacts c on c.person_id = p.id
    where ${where} and c.channel = any(${channels}::text[])
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
