import type { AlertKind } from '../../../src/alerts/alerts.tables';
import type { AlertPreview, PreviewBody, SendOptions } from '../../../src/alerts/send-flow.schema';

export type { AlertKind, AlertPreview, PreviewBody, SendOptions };

/** GET /api/v1/templates: one row. */
export interface TemplateSummary {
  id: string;
  name: string;
  hazard: string;
  version: number;
  uses: number;
}

/** GET /api/v1/templates/:id: the current version in every language. */
export interface TemplateVersion {
  templateId: string;
  name: string;
  hazard: string;
  version: number;
  languages: Record<string, { what: string; where: string; actions: string }>;
}

/** A building, zone or residence hall the operator picked (GET /api/v1/locations). */
export interface Place {
  code: string;
  name: string;
  kind: string;
}

/** POST /api/v1/alerts/reach. */
export interface ReachEstimate {
  people: number;
  addresses: Record<string, number>;
  suppressed: Record<string, number>;
  /** Paging servers the office_phones channel also pushes to. */
  pagingServers: number;
}

/** The body of POST /api/v1/alerts: the preview's fields with the audience and its reason required. */
export type SendBody = PreviewBody & {
  audience: NonNullable<PreviewBody['audience']>;
  audienceReason: string;
};
