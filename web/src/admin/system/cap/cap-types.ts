import type { RelayDefaults } from '../../../../../src/alerts/inbound-cap/relay-defaults.types';

/** One line of GET /api/v1/cap/inbound (src/alerts/inbound-cap/inbound-cap.views.ts). */
export interface InboundCapSummary {
  id: string;
  seq: string;
  sender: string;
  identifier: string;
  sent: string;
  capStatus: string;
  msgType: string;
  event: string | null;
  headline: string | null;
  severity: string | null;
  urgency: string | null;
  certainty: string | null;
  areas: string[];
  status: 'pending' | 'relayed' | 'dismissed' | 'expired';
  source: string;
  expiresAt: string | null;
  receivedAt: string;
  alertId: string | null;
  handledBy: string | null;
  handledAt: string | null;
  dismissReason: string | null;
}

/** The parts of a CAP info block the console shows. */
export interface CapInfoView {
  language: string;
  categories: string[];
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  effective?: string;
  onset?: string;
  expires?: string;
  web?: string;
  areas: Array<{ areaDesc: string }>;
}

/** What relaying sends unless overridden (src/alerts/inbound-cap/relay-defaults.types.ts). */
export type { RelayDefaults };

/** GET /api/v1/cap/inbound/:id. */
export interface InboundCapMessage extends InboundCapSummary {
  submittedBy: string;
  cap: { scope: string; note?: string; references?: string; infos: CapInfoView[] };
  document: string;
  relayDefaults: RelayDefaults;
}

export const statusWords: Record<InboundCapSummary['status'], string> = {
  pending: 'Waiting for an operator',
  relayed: 'Relayed',
  dismissed: 'Dismissed',
  expired: 'Expired',
};

export const kindWords: Record<NonNullable<RelayDefaults['kind']>, string> = {
  emergency: 'Emergency notification',
  operations: 'Operations disruption',
  test: 'Test',
  exercise: 'Exercise',
};
