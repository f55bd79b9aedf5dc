import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../platform/errors.js';
import type { CleryClass, LocationKind } from './directory.tables.js';
import {
  findLocation,
  findLocationsByCodes,
  listCleryPeriods,
  locationReferences,
  overlappingPeriods,
  resolveCampus,
  type CleryPeriodRow,
  type LocationRow,
} from './locations.queries.js';

interface LocationFields {
  code: string;
  name: string;
  /** The zone this location belongs to, by code; null: none. */
  parentCode?: string | null;
  address?: string | null;
  /** GeoJSON Polygon, MultiPolygon or a Feature of one; null removes it. */
  outline?: unknown;
}

export interface CreateLocation extends LocationFields {
  kind: LocationKind;
  campus?: string;
  request: RequestMeta;
}

export type UpdateLocation = Partial<LocationFields> & { request: RequestMeta };

/** Today's date (YYYY-MM-DD) in a time zone: Clery geography is a matter of local calendar days. */
export function todayIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Create a building, zone or residence hall; its code is unique per campus, ignoring case. */
export async function createLocation(
  ctx: AppContext,
  actor: Actor,
  input: CreateLocation,
): Promise<LocationRow> {
  const campus = await resolveCampus(ctx.db, ctx.profile, input.campus);
  const outline = outlineValue(input.outline);
  const id = await ctx.db.transaction().execute(async (trx) => {
    await ensureCodeFree(trx, campus.id, input.code);
    const parentId = await parentFor(trx, campus.id, input.kind, input.parentCode ?? null, null);
    const row = await trx
      .insertInto('locations')
      .values({
        campus_id: campus.id,
        kind: input.kind,
        code: input.code.trim(),
        name: input.name.trim(),
        parent_id: parentId,
        address: input.address?.trim() || null,
        outline: outline ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor,
      action: 'location.create',
      target: { type: 'location', id: row.id },
      campusId: campus.id,
      after: auditFields(input),
      request: input.request,
    });
    return row.id;
  });
  return reload(ctx, id);
}

/** Change a location's code, name, zone, address or outline (its kind never changes). */
export async function updateLocation(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateLocation,
): Promise<LocationRow> {
  const outline = outlineValue(input.outline);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockLocation(trx, id);
    if (input.code !== undefined && input.code.trim().toUpperCase() !== before.code.toUpperCase())
      await ensureCodeFree(trx, before.campus_id, input.code);
    const parentId =
      input.parentCode === undefined
        ? undefined
        : await parentFor(trx, before.campus_id, before.kind, input.parentCode, id);
    await trx
      .updateTable('locations')
      .set({
        code: input.code?.trim(),
        name: input.name?.trim(),
        parent_id: parentId,
        address: input.address === undefined ? undefined : input.address?.trim() || null,
        outline,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, {
      actor,
      action: 'location.update',
      target: { type: 'location', id },
      campusId: before.campus_id,
      before: { code: before.code, name: before.name, address: before.address },
      after: auditFields(input),
      request: input.request,
    });
  });
  return reload(ctx, id);
}

/** Delete a location nobody points at; its Clery class periods go with it (kept in the audit row). */
export async function deleteLocation(ctx: AppContext, actor: Actor, id: string, request: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockLocation(trx, id);
    const refs = await locationReferences(trx, id);
    if (refs.people > 0 || refs.children > 0) {
      throw conflict(
        `Location ${before.code} is still the home of ${refs.people} people and the zone of ${refs.children} locations; move them first.`,
        refs,
      );
    }
    const periods = await listCleryPeriods(trx, id);
    await trx.deleteFrom('locations').where('id', '=', id).execute();
    await writeAudit(trx, {
      actor,
      action: 'location.delete',
      target: { type: 'location', id },
      campusId: before.campus_id,
      before: {
        kind: before.kind,
        code: before.code,
        name: before.name,
        cleryClasses: periods.map(periodView),
      },
      request,
    });
  });
}

export interface CleryPeriodInput {
  cleryClass: CleryClass;
  effectiveFrom: string;
  effectiveTo?: string | null;
  request: RequestMeta;
}

/** Record a location's Clery class from a date (to a date, exclusive); periods never overlap. */
export async function addCleryPeriod(
  ctx: AppContext,
  actor: Actor,
  locationId: string,
  input: CleryPeriodInput,
) {
  const to = input.effectiveTo ?? null;
  checkPeriod(input.effectiveFrom, to);
  return ctx.db.transaction().execute(async (trx) => {
    const location = await lockLocation(trx, locationId);
    await refuseOverlap(trx, locationId, input.effectiveFrom, to);
    const row = await trx
      .insertInto('location_clery_classes')
      .values({
        location_id: locationId,
        clery_class: input.cleryClass,
        effective_from: input.effectiveFrom,
        effective_to: to,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const period = {
      id: row.id,
      cleryClass: input.cleryClass,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: to,
    };
    await writeAudit(trx, {
      actor,
      action: 'location.clery_class_add',
      target: { type: 'location', id: locationId },
      campusId: location.campus_id,
      after: period,
      request: input.request,
    });
    return period;
  });
}

/** Move the end of a Clery class period (null: open-ended), still without overlapping another. */
export async function setCleryPeriodEnd(
  ctx: AppContext,
  actor: Actor,
  locationId: string,
  periodId: string,
  effectiveTo: string | null,
  request: RequestMeta,
) {
  return ctx.db.transaction().execute(async (trx) => {
    const location = await lockLocation(trx, locationId);
    const period = (await listCleryPeriods(trx, locationId)).find((p) => p.id === periodId);
    if (!period) throw notFound('Clery class period');
    checkPeriod(period.effective_from, effectiveTo);
    await refuseOverlap(trx, locationId, period.effective_from, effectiveTo, periodId);
    await trx
      .updateTable('location_clery_classes')
      .set({ effective_to: effectiveTo })
      .where('id', '=', periodId)
      .execute();
    const after = { ...periodView(period), effectiveTo };
    await writeAudit(trx, {
      actor,
      action: 'location.clery_class_update',
      target: { type: 'location', id: locationId },
      campusId: location.campus_id,
      before: periodView(period),
      after,
      request,
    });
    return after;
  });
}

/** A Clery class period as the API shows it. */
export function periodView(p: CleryPeriodRow) {
  return {
    id: p.id,
    cleryClass: p.clery_class,
    effectiveFrom: p.effective_from,
    effectiveTo: p.effective_to,
  };
}

function checkPeriod(from: string, to: string | null): void {
  if (to !== null && to <= from)
    throw invalid(
      `effectiveTo (${to}) must be after effectiveFrom (${from}); the period ends before that day.`,
      {
        field: 'effectiveTo',
      },
    );
}

async function refuseOverlap(
  trx: Trx,
  locationId: string,
  from: string,
  to: string | null,
  exceptId?: string,
) {
  const clashes = await overlappingPeriods(trx, locationId, from, to, exceptId);
  if (clashes.length === 0) return;
  const c = clashes[0]!;
  throw conflict(
    `This period overlaps the ${c.clery_class} period from ${c.effective_from} to ${c.effective_to ?? 'open-ended'}; end that period first (PATCH its effectiveTo) or choose other dates.`,
    { overlaps: clashes.map(periodView) },
  );
}

async function lockLocation(trx: Trx, id: string) {
  const row = await trx
    .selectFrom('locations')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Location');
  return row;
}

async function ensureCodeFree(trx: Trx, campusId: string, code: string): Promise<void> {
  const [taken] = await findLocationsByCodes(trx, campusId, [code.trim()]);
  if (taken)
    throw conflict(
      `Code "${code.trim()}" is already used by ${taken.name} on this campus; codes ignore case.`,
      {
        field: 'code',
      },
    );
}

/** Only zones contain locations, and zones do not nest, so the hierarchy cannot loop. */
async function parentFor(
  trx: Trx,
  campusId: string,
  kind: LocationKind,
  code: string | null,
  selfId: string | null,
) {
  if (code === null) return null;
  if (kind === 'zone') throw invalid('A zone cannot belong to another zone.', { field: 'parentCode' });
  const [parent] = await findLocationsByCodes(trx, campusId, [code]);
  if (!parent || parent.id === selfId)
    throw invalid(`No zone with code "${code}" on this campus.`, { field: 'parentCode' });
  if (parent.kind !== 'zone')
    throw invalid(
      `"${code}" is a ${parent.kind.replace('_', ' ')}, not a zone; only zones contain locations.`,
      {
        field: 'parentCode',
      },
    );
  return parent.id;
}

function outlineValue(outline: unknown): string | null | undefined {
  if (outline === undefined || outline === null) return outline;
  const problem = outlineProblem(outline);
  if (problem)
    throw new AppError('validation', `The outline is not usable: ${problem}.`, { field: 'outline' });
  return JSON.stringify(outline);
}

// The outline can be a megabyte: the audit row records its size, not its points.
function auditFields(input: UpdateLocation | CreateLocation): Record<string, unknown> {
  const { outline, request: _request, ...rest } = input;
  if (outline === undefined) return rest;
  return { ...rest, outlineBytes: outline === null ? 0 : Buffer.byteLength(JSON.stringify(outline)) };
}

async function reload(ctx: AppContext, id: string): Promise<LocationRow> {
  return (await findLocation(ctx.db, id, todayIn(ctx.profile.institution.timezone, ctx.clock.now())))!;
}

/** The largest outline accepted, in bytes of JSON. */
const maxOutlineBytes = 1_000_000;

/** Why a value is not a usable GeoJSON outline (Polygon, MultiPolygon or a Feature of one), or null. */
export function outlineProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'it must be a GeoJSON object';
  if (Buffer.byteLength(JSON.stringify(value)) > maxOutlineBytes)
    return `it is larger than ${maxOutlineBytes} bytes`;
  const g = value as { type?: unknown; geometry?: unknown; coordinates?: unknown };
  if (g.type === 'Feature') {
    const geometry = g.geometry as { type?: unknown } | null | undefined;
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon')
      return 'a Feature outline needs a Polygon or MultiPolygon geometry';
    return outlineProblem(geometry);
  }
  if (g.type === 'Polygon') return polygonProblem(g.coordinates, 'coordinates');
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return 'coordinates must list polygons';
    for (const [i, polygon] of g.coordinates.entries()) {
      const problem = polygonProblem(polygon, `coordinates[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  return `type must be Polygon, MultiPolygon or Feature, not ${JSON.stringify(g.type ?? null)}`;
}

function polygonProblem(rings: unknown, at: string): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return `${at} must list linear rings`;
  for (const [i, ring] of rings.entries()) {
    if (!Array.isArray(ring) || ring.length < 4) return `${at}[${i}] must be a ring of at least 4 positions`;
    const bad = ring.findIndex((p) => !isPosition(p));
    if (bad >= 0) return `${at}[${i}][${bad}] must be [longitude, latitude] in degrees`;
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return `${at}[${i}] must end where it starts`;
  }
  return null;
}

function isPosition(p: unknown): boolean {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return false;
  if (!p.every((n) => typeof n === 'number' && Number.isFinite(n))) return false;
  return Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;
}
