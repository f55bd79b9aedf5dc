import { displayFeedUrl } from './cap-feed-health.policy.js';
import type { AppContext } from '../../platform/context.js';
import type { InboundCapRow } from './inbound-cap.queries.js';
import { primaryInfo } from './relay-defaults.policy.js';
import { defaultsFor } from './relay-inbound-cap.js';

type SummaryRow = Omit<InboundCapRow, 'campus_id' | 'document' | 'feed_entry' | 'submitted_by'>;

/** One line of the operators' queue: who sent what, for where, and what became of it. */
export function inboundCapSummary(row: SummaryRow, language: string) {
  const info = primaryInfo(row.parsed, language);
  return {
    id: row.id,
    seq: row.seq,
    sender: row.sender,
    identifier: row.identifier,
    sent: row.parsed.sent,
    capStatus: row.cap_status,
    msgType: row.msg_type,
    event: info?.event ?? null,
    headline: info?.headline ?? null,
    severity: info?.severity ?? null,
    urgency: info?.urgency ?? null,
    certainty: info?.certainty ?? null,
    areas: info?.areas.map((a) => a.areaDesc) ?? [],
    status: row.status,
    source: displayFeedUrl(row.source), // 'api' is no URL and stays as it is
    expiresAt: row.expires_at?.toISOString() ?? null,
    receivedAt: row.received_at.toISOString(),
    alertId: row.alert_id,
    handledBy: row.handled_by,
    handledAt: row.handled_at?.toISOString() ?? null,
    dismissReason: row.dismiss_reason,
  };
}

/** The whole message: the summary, every parsed field, the original XML and the relay defaults. */
export function inboundCapView(ctx: AppContext, row: InboundCapRow) {
  return {
    ...inboundCapSummary(row, ctx.profile.alerts.languages[0]!),
    submittedBy: row.submitted_by,
    cap: row.parsed,
    document: row.document,
    relayDefaults: defaultsFor(ctx, row),
  };
}
