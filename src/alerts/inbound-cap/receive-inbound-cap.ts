import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import { defaultCampusId } from '../../directory/sync/sync.queries.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { isAppError } from '../../platform/errors.js';
import { capExpiresAt, type CapAlert } from './cap-alert.js';
import { findInboundCap, insertInboundCap } from './inbound-cap.queries.js';
import type { InboundCapStatus } from './inbound-cap.tables.js';
import { readCapDocument } from './read-cap-document.js';
import { supersedeInboundCap } from './supersede-inbound-cap.js';

export interface ReceiveInboundCap {
  /** The CAP 1.2 document as received. */
  document: string;
  /** 'api' for a POST, otherwise the feed's URL. */
  source: string;
  /** The feed entry it came from (Atom id and updated), when polled. */
  feedEntry?: string | null;
  request: RequestMeta;
}

export interface ReceivedInboundCap {
  id: string;
  status: InboundCapStatus;
  /** False when the same sender and identifier were already stored: nothing new was. */
  created: boolean;
  alert: CapAlert;
}

/** A refused POST is audited, so an integration's failures can be traced; a feed's are logged. */
async function auditRefusal(ctx: AppContext, actor: Actor, input: ReceiveInboundCap, error: unknown) {
  if (input.source !== 'api' || !isAppError(error)) return;
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor,
      action: 'inbound_cap.refuse',
      outcome: 'failure',
      target: { type: 'inbound_cap', id: null },
      metadata: { source: input.source, reason: error.message.slice(0, 500) },
      request: input.request,
    }),
  );
}

/**
 * Take in a CAP message: validate it (schema and CAP rules), then store it pending for an
 * operator, or expired when every info block's expiry has passed; what it updates or cancels, or
 * what already updated or cancelled it, is set aside (supersedeInboundCap). The same (sender,
 * identifier) again stores nothing and answers the stored message. The row and its audit rows are
 * written in one transaction.
 */
export async function receiveInboundCap(
  ctx: AppContext,
  actor: Actor,
  input: ReceiveInboundCap,
): Promise<ReceivedInboundCap> {
  let alert: CapAlert;
  try {
    alert = await readCapDocument(input.document);
  } catch (error) {
    await auditRefusal(ctx, actor, input, error);
    throw error;
  }
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  const now = ctx.clock.now();
  const expiresAt = capExpiresAt(alert);
  const expired = expiresAt !== null && expiresAt.getTime() <= now.getTime();
  const by = actor.label ?? actor.type;
  return ctx.db.transaction().execute(async (trx) => {
    // One message at a time per campus: a warning and its Cancel arriving together (two feeds, a
    // feed and a POST) must each see the other, or the warning would stay pending.
    await sql`select pg_advisory_xact_lock(hashtext(${`inbound_cap:${campusId}`}))`.execute(trx);
    const stored = await insertInboundCap(trx, {
      campus_id: campusId,
      sender: alert.sender,
      identifier: alert.identifier,
      sent_at: new Date(alert.sent),
      cap_status: alert.status,
      msg_type: alert.msgType,
      status: expired ? 'expired' : 'pending',
      source: input.source,
      feed_entry: input.feedEntry ?? null,
      submitted_by: by,
      document: input.document,
      parsed: JSON.stringify(alert),
      expires_at: expiresAt,
      received_at: now,
      handled_by: expired ? 'tocsin (expired on arrival)' : null,
      handled_at: expired ? now : null,
    });
    const existing = stored ? null : await findInboundCap(trx, campusId, alert.sender, alert.identifier);
    const row = (stored ?? existing)!;
    if (stored?.status === 'pending')
      row.status = await supersedeInboundCap(
        trx,
        { id: stored.id, campus_id: campusId, source: input.source },
        alert,
        now,
        input.request,
      );
    // A feed re-reading a message it already brought is not a submission; a POST always is.
    if (!stored && input.source !== 'api') return { ...row, created: false, alert };
    await writeAudit(trx, {
      actor,
      action: stored ? 'inbound_cap.receive' : 'inbound_cap.duplicate',
      target: { type: 'inbound_cap', id: row.id },
      campusId,
      after: {
        sender: alert.sender,
        identifier: alert.identifier,
        msgType: alert.msgType,
        capStatus: alert.status,
        status: row.status,
        source: input.source,
      },
      request: input.request,
    });
    return { ...row, created: stored !== null, alert };
  });
}
