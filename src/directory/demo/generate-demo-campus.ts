import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import { systemActor, type Actor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Queryable, Trx } from '../../platform/db/database.js';
import { AppError, conflict } from '../../platform/errors.js';
import { resolveCampus } from '../locations.queries.js';
import { demoCleryFrom, demoLocations } from './campus-catalog.js';
import {
  demoMarker,
  planDemoCampus,
  type DemoGroup,
  type DemoLocationPlan,
  type DemoPerson,
} from './demo-plan.js';
import { demoOfficePhones } from './office-phones.js';

export const defaultDemoPeople = 5_000;
export const defaultDemoSeed = 'tocsin';
export const maxDemoPeople = 1_000_000;
// Serialises demo runs (and two first starts racing on one database).
const demoLockKey = 7_240_320;
const batchSize = 20_000;
const optOutReason = 'Replied STOP to a text message';

export interface DemoCampusOptions {
  people?: number;
  seed?: string;
  /** Campus slug; default the profile's first campus. */
  campus?: string;
  /** Replace a previous demo campus; refused when the directory holds anything the demo did not create. */
  replace?: boolean;
}

/** What a directory holds, and how much of it a demo did not create. */
export interface DirectoryInventory {
  people: number;
  locations: number;
  groups: number;
  otherPeople: number;
  otherLocations: number;
  otherGroups: number;
}

export interface DemoCampusSummary {
  campus: string;
  seed: string;
  people: number;
  students: number;
  employees: number;
  affiliates: number;
  contacts: number;
  smsOptedOut: number;
  buildings: number;
  residenceHalls: number;
  zones: number;
  groups: number;
  groupMembers: number;
  /** What a --replace run removed first. */
  replaced: DirectoryInventory | null;
  milliseconds: number;
}

/**
 * Fill an empty campus directory with a fictional campus: locations with Clery classes, people with
 * example.edu emails and 555-01xx mobiles, static and dynamic groups. Set-based inserts in one
 * transaction with one audit row (counts, never people). Refuses a directory that is not empty,
 * unless `replace` and everything in it came from an earlier demo.
 */
export async function generateDemoCampus(
  ctx: AppContext,
  actor: Actor,
  options: DemoCampusOptions = {},
): Promise<DemoCampusSummary> {
  const summary = await writeDemoCampus(ctx, actor, options, false);
  return summary!;
}

/**
 * On a database with no people and no locations at all, create the default demo campus (the
 * zero-config `tocsin start`). Returns null, changing nothing, when the directory has anything.
 */
export async function createDemoCampusIfEmpty(ctx: AppContext): Promise<DemoCampusSummary | null> {
  if (!(await directoryIsEmpty(ctx.db))) return null;
  return writeDemoCampus(ctx, systemActor, {}, true);
}

/**
 * Delete an earlier demo campus: refused, changing nothing, when the directory holds anything the
 * demo did not create. Returns what was removed (null: the directory was empty).
 */
export async function removeDemoCampus(
  ctx: AppContext,
  actor: Actor,
  campusSlug?: string,
): Promise<DirectoryInventory | null> {
  const campus = await resolveCampus(ctx.db, ctx.profile, campusSlug);
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${demoLockKey})`.execute(trx);
    const removed = await clearForDemo(trx, campus.id, campus.slug, true);
    if (!removed) return null;
    await writeAudit(trx, {
      actor,
      action: 'directory.demo_remove',
      target: { type: 'campus', id: campus.id },
      campusId: campus.id,
      metadata: { ...removed },
    });
    return removed;
  });
}

async function writeDemoCampus(
  ctx: AppContext,
  actor: Actor,
  options: DemoCampusOptions,
  onlyIfEmpty: boolean,
): Promise<DemoCampusSummary | null> {
  const started = Date.now();
  const size = options.people ?? defaultDemoPeople;
  if (!Number.isInteger(size) || size < 1 || size > maxDemoPeople)
    throw new AppError('validation', `The demo campus holds 1 to ${maxDemoPeople} people, not ${size}.`);
  const seed = options.seed ?? defaultDemoSeed;
  const campus = await resolveCampus(ctx.db, ctx.profile, options.campus);
  const plan = planDemoCampus({ people: size, seed });
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${demoLockKey})`.execute(trx);
    if (onlyIfEmpty && !(await directoryIsEmpty(trx))) return null;
    const replaced = await clearForDemo(trx, campus.id, campus.slug, options.replace === true);
    const placeIds = await insertLocations(trx, campus.id, plan.locations);
    const contacts = await insertPeople(trx, campus.id, plan.people, placeIds);
    const groupMembers = await insertGroups(trx, campus.id, plan.groups);
    const summary = summarise(campus.slug, seed, plan.people, plan.groups.length, contacts, groupMembers);
    const result = { ...summary, replaced, milliseconds: Date.now() - started };
    await writeAudit(trx, {
      actor,
      action: 'directory.demo_create',
      target: { type: 'campus', id: campus.id },
      campusId: campus.id,
      metadata: { ...result, milliseconds: undefined },
    });
    return result;
  });
}

async function directoryIsEmpty(q: Queryable): Promise<boolean> {
  const row = await q
    .selectNoFrom([
      sql<boolean>`exists (select 1 from people) or exists (select 1 from locations)`.as('taken'),
    ])
    .executeTakeFirstOrThrow();
  return !row.taken;
}

/** Count what the campus directory holds; with `replace`, delete a previous demo campus. */
async function clearForDemo(trx: Trx, campusId: string, slug: string, replace: boolean) {
  const found = await inventory(trx, campusId);
  if (found.people + found.locations + found.groups === 0) return null;
  const held = `${found.people} people, ${found.locations} locations and ${found.groups} groups`;
  if (!replace) {
    throw conflict(
      `The directory of campus ${slug} already holds ${held}. A demo campus only goes into an empty directory, so its fictional people never mix with real ones. Use a fresh database (for example TOCSIN_DATA_DIR=./demo-data), or --replace to replace an earlier demo campus.`,
      found,
    );
  }
  const others = found.otherPeople + found.otherLocations + found.otherGroups;
  if (others > 0) {
    throw conflict(
      `Replacing or removing a demo campus only removes what the demo created, but the directory of campus ${slug} holds ${found.otherPeople} people, ${found.otherLocations} locations and ${found.otherGroups} groups the demo did not create. Nothing was changed.`,
      found,
    );
  }
  await trx.deleteFrom('groups').where('campus_id', '=', campusId).execute();
  await trx.deleteFrom('people').where('campus_id', '=', campusId).execute();
  await trx.deleteFrom('locations').where('campus_id', '=', campusId).execute();
  return found;
}

async function inventory(trx: Trx, campusId: string): Promise<DirectoryInventory> {
  const codes = demoLocations.map((l) => l.code.toUpperCase());
  const demoRow = `source = 'manual' and coalesce(external_id, '') like '${demoMarker}%'`;
  const row = await trx
    .selectNoFrom([
      sql<number>`(select count(*)::int from people where campus_id = ${campusId})`.as('people'),
      sql<number>`(select count(*)::int from locations where campus_id = ${campusId})`.as('locations'),
      sql<number>`(select count(*)::int from groups where campus_id = ${campusId})`.as('groups'),
      sql<number>`(select count(*)::int from people where campus_id = ${campusId}
        and not (${sql.raw(demoRow)}))`.as('otherPeople'),
      sql<number>`(select count(*)::int from locations where campus_id = ${campusId}
        and not upper(code) = any(${codes}::text[]))`.as('otherLocations'),
      sql<number>`(select count(*)::int from groups where campus_id = ${campusId}
        and not (${sql.raw(demoRow)}))`.as('otherGroups'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

/** Zones first, then the locations in them; every location gets one open Clery class period. */
async function insertLocations(trx: Trx, campusId: string, locations: DemoLocationPlan[]) {
  const ids = new Map<string, string>();
  for (const tier of [
    locations.filter((l) => l.kind === 'zone'),
    locations.filter((l) => l.kind !== 'zone'),
  ]) {
    const rows = await trx
      .insertInto('locations')
      .values(
        tier.map((l) => ({
          campus_id: campusId,
          kind: l.kind,
          code: l.code,
          name: l.name,
          parent_id: l.zone ? ids.get(l.zone)! : null,
          outline: l.outline ? JSON.stringify(l.outline) : null,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const r of rows) ids.set(r.code, r.id);
  }
  await trx
    .insertInto('location_clery_classes')
    .values(
      locations.map((l) => ({
        location_id: ids.get(l.code)!,
        clery_class: l.cleryClass,
        effective_from: demoCleryFrom,
        effective_to: null,
      })),
    )
    .execute();
  return ids;
}

/** People and their contacts in batches of multi-row INSERT … SELECT FROM unnest(…). */
async function insertPeople(trx: Trx, campusId: string, people: DemoPerson[], placeIds: Map<string, string>) {
  let contacts = 0;
  const officePhones = demoOfficePhones(people);
  for (let start = 0; start < people.length; start += batchSize) {
    const batch = people.slice(start, start + batchSize);
    const col = <T>(f: (p: DemoPerson) => T) => batch.map(f);
    await sql`insert into people (campus_id, external_id, institutional_id, affiliation, status, given_name,
        family_name, display_name, department, home_building_id, residence_hall_id, preferred_language,
        source, deactivated_at)
      select ${campusId}::uuid, u.eid, u.iid, u.aff, case when u.active then 'active' else 'inactive' end,
        u.given, u.family, u.given || ' ' || u.family, u.dept, u.hb, u.rh, u.lang, 'manual',
        case when u.active then null else now() end
      from unnest(${col((p) => p.externalId)}::text[], ${col((p) => p.institutionalId)}::text[],
        ${col((p) => p.affiliation)}::text[], ${col((p) => p.active)}::boolean[],
        ${col((p) => p.givenName)}::text[], ${col((p) => p.familyName)}::text[],
        ${col((p) => p.department)}::text[],
        ${col((p) => (p.homeBuilding ? placeIds.get(p.homeBuilding)! : null))}::uuid[],
        ${col((p) => (p.residenceHall ? placeIds.get(p.residenceHall)! : null))}::uuid[],
        ${col((p) => p.language)}::text[])
        as u(eid, iid, aff, active, given, family, dept, hb, rh, lang)`.execute(trx);
    contacts += await insertContacts(trx, campusId, batch, officePhones);
  }
  return contacts;
}

async function insertContacts(
  trx: Trx,
  campusId: string,
  batch: DemoPerson[],
  officePhones: Map<string, string>,
): Promise<number> {
  const rows = batch.flatMap((p) => [
    ...(officePhones.has(p.externalId)
      ? [[p.externalId, 'office_phone', officePhones.get(p.externalId)!, false] as const]
      : []),
    [p.externalId, 'email', p.email, false] as const,
    ...(p.mobile ? [[p.externalId, 'sms', p.mobile, p.smsOptedOut] as const] : []),
    ...(p.mobile && p.voice ? [[p.externalId, 'voice', p.mobile, false] as const] : []),
  ]);
  const result = await sql`insert into contacts (person_id, channel, address, source, is_primary,
        opted_out_at, opt_out_reason)
      select p.id, u.channel, u.address, 'directory', true, case when u.opt then now() end,
        case when u.opt then ${optOutReason} end
      from unnest(${rows.map((r) => r[0])}::text[], ${rows.map((r) => r[1])}::text[],
        ${rows.map((r) => r[2])}::text[], ${rows.map((r) => r[3])}::boolean[]) as u(eid, channel, address, opt)
      join people p on p.campus_id = ${campusId} and p.source = 'manual' and p.external_id = u.eid`.execute(
    trx,
  );
  return Number(result.numAffectedRows ?? 0n);
}

async function insertGroups(trx: Trx, campusId: string, groups: DemoGroup[]): Promise<number> {
  let members = 0;
  for (const g of groups) {
    const row = await trx
      .insertInto('groups')
      .values({
        campus_id: campusId,
        name: g.name,
        description: g.description,
        kind: g.kind,
        rule: g.rule ? JSON.stringify(g.rule) : null,
        external_id: g.externalId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (g.members.length === 0) continue;
    const result = await sql`insert into group_members (group_id, person_id)
      select ${row.id}::uuid, p.id from people p
      where p.campus_id = ${campusId} and p.source = 'manual' and p.external_id = any(${g.members}::text[])`.execute(
      trx,
    );
    members += Number(result.numAffectedRows ?? 0n);
  }
  return members;
}

function summarise(
  campus: string,
  seed: string,
  people: DemoPerson[],
  groups: number,
  contacts: number,
  groupMembers: number,
) {
  const count = (f: (p: DemoPerson) => boolean) => people.reduce((n, p) => n + (f(p) ? 1 : 0), 0);
  const kinds = (kind: string) => demoLocations.filter((l) => l.kind === kind).length;
  return {
    campus,
    seed,
    people: people.length,
    students: count((p) => p.affiliation === 'student'),
    employees: count((p) => p.affiliation === 'employee'),
    affiliates: count((p) => p.affiliation === 'affiliate'),
    contacts,
    smsOptedOut: count((p) => p.smsOptedOut),
    buildings: kinds('building'),
    residenceHalls: kinds('residence_hall'),
    zones: kinds('zone'),
    groups,
    groupMembers,
  };
}
