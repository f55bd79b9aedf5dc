/** GET /api/v1/templates (src/alerts/alerts.routes.ts). */
export interface TemplateSummary {
  id: string;
  name: string;
  hazard: string;
  version: number;
  uses: number;
}

export interface TemplateText {
  what: string;
  where: string;
  actions: string;
}

/** GET /api/v1/templates/:id and …/versions/:version (src/alerts/templates.ts TemplateVersion). */
export interface TemplateVersion {
  templateId: string;
  name: string;
  hazard: string;
  version: number;
  cap: Record<string, string>;
  languages: Record<string, TemplateText>;
}

/** One line of GET /api/v1/templates/:id/versions. */
export interface TemplateVersionEntry {
  version: number;
  languages: string[];
  createdBy: string | null;
  createdAt: string;
}

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
