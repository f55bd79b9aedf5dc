import type { AlertHistoryPage, AlertHistoryRow } from '../../../src/alerts/alert-history.schema';
import type {
  AlertReach,
  ResendResult,
  UnreachedPerson,
} from '../../../src/alerts/tracking/alert-reach.schema';
import type { AlertTracking, ChannelTracking } from '../../../src/alerts/tracking/tracking.schema';

export type {
  AlertHistoryPage,
  AlertHistoryRow,
  AlertReach,
  AlertTracking,
  ChannelTracking,
  ResendResult,
  UnreachedPerson,
};

/** One language's text of a message. */
export interface MessageText {
  what: string;
  where: string;
  actions: string;
}

/** A message of an alert as GET /api/v1/alerts/:id lists it (src/alerts/alert-status.ts). */
interface AlertMessage {
  id: string;
  sequence: number;
  type: string;
  templateVersion: number;
  content: Record<string, MessageText>;
  createdBy: string;
  createdByName: string;
  createdAt: string;
}

/** The reply of GET /api/v1/alerts/:id (src/alerts/alert-status.ts has no response schema to share). */
export interface AlertStatus {
  id: string;
  kind: string;
  status: string;
  hazard: string;
  templateId: string;
  templateName: string;
  templateVersion: number;
  /** Who it was sent to: everyone, or codes of buildings, zones and residence halls (and more). */
  audience: { everyone?: boolean; locationCodes?: string[] };
  audienceReason: string;
  channels: string[];
  record: {
    confirmedBy: string | null;
    confirmationSource: string | null;
    confirmedAt: string | null;
    initiatedAt: string | null;
    delayReason: string | null;
    delayDecidedBy: string | null;
  };
  sentBy: string | null;
  sentByName: string | null;
  createdAt: string;
  closedAt: string | null;
  closeReason: string | null;
  messages: AlertMessage[];
  deliveries: Record<string, Record<string, number>>;
}
