import type { AlertKind } from '../alerts.tables.js';

/**
 * What relaying a CAP message sends unless the operator says otherwise (GET /api/v1/cap/inbound/:id
 * gives it as relayDefaults). Kept free of Node and parser imports so the console (web/) can import it.
 */
export interface RelayDefaults {
  /** Null: the CAP status (System, Draft) says no kind; the operator must choose one. */
  kind: AlertKind | null;
  /** Null: no hazard of the catalogue fits the kind; the operator must choose a template. */
  hazard: string | null;
  what?: string;
  where?: string;
  actions?: string;
  audienceReason: string;
}
