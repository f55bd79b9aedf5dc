import type { AlertKind, AlertStatus, MessageContent, MessageType } from '../alerts/alerts.tables.js';
import type { AlertContent } from '../alerts/rendering/alert-content.js';

/** One message of a public alert: the original, an update or the all-clear. */
export interface PublicMessage {
  id: string;
  sequence: number;
  type: MessageType;
  sentAt: Date;
  content: MessageContent;
  /** The template it was written from ("Shelter in place", "All clear"). */
  templateName: string;
  cap: AlertContent['hazard']['cap'];
}

/** Where an alert stands for the public: still in force, over with an all-clear, or closed without one. */
export type PublicAlertState = 'active' | 'all_clear' | 'ended';

/** An alert as the public site shows it: no audience, no sender, no Clery record. */
export interface PublicAlert {
  id: string;
  kind: AlertKind;
  status: AlertStatus;
  hazard: string;
  /** The original message's template name: the alert's title everywhere. */
  title: string;
  createdAt: Date;
  closedAt: Date | null;
  acknowledgementRequested: boolean;
  onPage: boolean;
  onSignage: boolean;
  onCap: boolean;
  /** Oldest first. */
  messages: PublicMessage[];
  latest: PublicMessage;
  state: PublicAlertState;
  /** When the all-clear was sent, for alerts in that state. */
  allClearAt: Date | null;
  /** Every language any of its messages was written in. */
  languages: string[];
}
