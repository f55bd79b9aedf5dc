import type { ColumnType, Generated } from 'kysely';
import type { CapAlert, CapMsgType, CapStatus } from './cap-alert.js';

/**
 * Where an inbound CAP message is in its life: waiting for an operator, relayed as a Tocsin alert
 * (or an update or all-clear of one), dismissed, or expired (every info block's expiry has passed).
 */
export const inboundCapStatuses = ['pending', 'relayed', 'dismissed', 'expired'] as const;
export type InboundCapStatus = (typeof inboundCapStatuses)[number];

export interface InboundCapTable {
  id: Generated<string>;
  seq: Generated<string>;
  campus_id: string;
  sender: string;
  identifier: string;
  sent_at: Date;
  cap_status: CapStatus;
  msg_type: CapMsgType;
  status: InboundCapStatus;
  /** 'api' for a POST, otherwise the feed's URL. */
  source: string;
  feed_entry: string | null;
  submitted_by: string;
  document: string;
  parsed: ColumnType<CapAlert, string, string>;
  expires_at: Date | null;
  received_at: Date;
  alert_id: string | null;
  handled_by: string | null;
  handled_at: Date | null;
  dismiss_reason: string | null;
}

/** A configured CAP feed's polling state: conditional-GET validators, when it is due, how it went. */
export interface CapFeedsTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: Date;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  consecutive_failures: Generated<number>;
  created_at: Generated<Date>;
}

export interface InboundCapTables {
  inbound_cap: InboundCapTable;
  cap_feeds: CapFeedsTable;
}
