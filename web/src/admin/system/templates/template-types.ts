import type { TemplateVersionEntry as ServerVersionEntry } from '../../../../../src/alerts/templates.types';

/** GET /api/v1/templates (src/alerts/alerts.routes.ts). */
export interface TemplateSummary {
  id: string;
  name: string;
  hazard: string;
  version: number;
  uses: number;
}

/** GET /api/v1/templates/:id and …/versions/:version (src/alerts/templates.types.ts). */
export type { TemplateLanguage, TemplateVersion } from '../../../../../src/alerts/templates.types';

/** One line of GET /api/v1/templates/:id/versions, as JSON gives it (the time as a string). */
export type TemplateVersionEntry = Omit<ServerVersionEntry, 'createdAt'> & { createdAt: string };

export const textFields = [
  { key: 'what', label: 'What' },
  { key: 'where', label: 'Where' },
  { key: 'actions', label: 'Actions' },
] as const;

const names = new Intl.DisplayNames(undefined, { type: 'language' });

/** "English (en)". */
export function languageName(code: string): string {
  try {
    return `${names.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}
