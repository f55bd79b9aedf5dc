import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import type { Actor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Feed } from '../directory.tables.js';
import { applyDirectoryDiff } from './apply-directory-diff.js';
import type { FeedContents, RowError } from './csv-feed.js';
import type { DirectoryRecord } from './directory-record.js';
import { brakeVerdict, diffDirectory, type DirectoryDiff } from './sync-diff.js';
import { idsManagedElsewhere, loadFeedPeople, locationCodes } from './sync.queries.js';
import { summariseDiff, type SyncCounts } from './sync-report.js';

export interface SyncRequest {
  campusId: string;
  feed: Feed;
  /** Preview only: compute and store the diff, change nothing. */
  dryRun: boolean;
  /** Apply even past the deactivation brake. */
  force: boolean;
  actor: Actor;
}

export type SyncOutcome =
  | {
      status: 'previewed' | 'applied';
      counts: SyncCounts;
      diff: ReturnType<typeof summariseDiff>;
      errors: RowError[];
    }
  | {
      status: 'refused';
      counts: SyncCounts;
      diff: ReturnType<typeof summariseDiff>;
      errors: RowError[];
      message: string;
    };

// One full sync per campus and feed at a time: two overlapping applies would each deactivate the other's adds.
const syncLockBase = 7_240_400;

/**
 * Compare a feed's full contents with the directory and, unless this is a dry run, apply the
 * difference in one transaction, after the deactivation brake. Unknown building codes become
 * warnings, people another feed manages are reported and skipped, unreadable rows hold their
 * people as they are. Running the same contents twice changes nothing the second time.
 */
export async function syncDirectory(
  ctx: AppContext,
  contents: FeedContents,
  request: SyncRequest,
): Promise<SyncOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${syncLockBase}, hashtext(${request.campusId + request.feed}))`.execute(
      trx,
    );
    const [existing, locations, elsewhere] = await Promise.all([
      loadFeedPeople(trx, request.campusId, request.feed),
      locationCodes(trx, request.campusId),
      idsManagedElsewhere(trx, request.campusId, request.feed),
    ]);
    const errors = [...contents.errors];
    const records = contents.records
      .filter((r) => {
        if (!elsewhere.has(r.institutionalId.toLowerCase())) return true;
        errors.push(
          warn(r.institutionalId, 'this person is managed by another feed or by an operator; row skipped'),
        );
        return false;
      })
      .map((r) => withKnownPlaces(r, locations, errors));
    const diff = diffDirectory(existing, records, contents.heldIds);
    const active = existing.filter((p) => p.status === 'active').length;
    const counts = countsOf(contents, diff, errors);
    const summary = summariseDiff(diff);
    if (request.dryRun) return { status: 'previewed' as const, counts, diff: summary, errors };
    const brake = brakeVerdict(
      diff.deactivations.length,
      active,
      ctx.profile.directory.syncMaxDeactivationPercent,
      request.force,
    );
    if (!brake.allowed)
      return { status: 'refused' as const, counts, diff: summary, errors, message: brake.message! };
    await applyDirectoryDiff(trx, request.campusId, request.feed, diff, locations);
    if (counts.adds + counts.changes + counts.deactivations > 0) {
      await writeAudit(trx, {
        actor: request.actor,
        action: 'directory.sync_apply',
        target: { type: 'directory_feed', id: request.feed },
        campusId: request.campusId,
        metadata: { ...counts, forced: request.force },
      });
    }
    return { status: 'applied' as const, counts, diff: summary, errors };
  });
}

/**
 * Drop building and hall codes the directory does not know (with a warning), so the person is
 * stored without them and the next run does not see a change that can never be applied.
 */
function withKnownPlaces(
  r: DirectoryRecord,
  locations: { buildings: Map<string, string>; halls: Map<string, string> },
  errors: RowError[],
): DirectoryRecord {
  const building =
    r.homeBuildingCode && !locations.buildings.has(r.homeBuildingCode) ? null : r.homeBuildingCode;
  const hall = r.residenceHallCode && !locations.halls.has(r.residenceHallCode) ? null : r.residenceHallCode;
  if (building !== r.homeBuildingCode)
    errors.push(warn(r.institutionalId, `unknown building code ${r.homeBuildingCode}; no home building set`));
  if (hall !== r.residenceHallCode)
    errors.push(
      warn(r.institutionalId, `unknown residence hall code ${r.residenceHallCode}; no residence hall set`),
    );
  return building === r.homeBuildingCode && hall === r.residenceHallCode
    ? r
    : { ...r, homeBuildingCode: building, residenceHallCode: hall };
}

function warn(institutionalId: string, reason: string): RowError {
  return { line: 0, institutionalId, reason };
}

function countsOf(contents: FeedContents, diff: DirectoryDiff, errors: RowError[]): SyncCounts {
  return {
    rows: contents.rows,
    valid: contents.records.length,
    errors: errors.length,
    adds: diff.adds.length,
    changes: diff.changes.length,
    reactivations: diff.changes.filter((c) => c.fields.includes('status')).length,
    deactivations: diff.deactivations.length,
    unchanged: diff.unchanged,
  };
}
