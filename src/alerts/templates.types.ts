/**
 * What the template API answers. Kept free of Node and database imports so the console (web/) can
 * import the types.
 */

/** One language of a template version. */
export interface TemplateLanguage {
  what: string;
  where: string;
  actions: string;
}

/** GET /api/v1/templates/:id and …/versions/:version: a version in every language. */
export interface TemplateVersion {
  templateId: string;
  name: string;
  hazard: string;
  version: number;
  cap: Record<string, string>;
  languages: Record<string, TemplateLanguage>;
}

/** One line of GET /api/v1/templates/:id/versions (createdAt becomes an ISO 8601 string in JSON). */
export interface TemplateVersionEntry {
  version: number;
  languages: string[];
  createdBy: string | null;
  createdAt: Date;
}
