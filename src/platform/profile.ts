import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { platformProfileSections } from './profile.schema.js';

type PlatformProfile = {
  [K in keyof typeof platformProfileSections]: z.infer<(typeof platformProfileSections)[K]>;
};

/**
 * The policy profile: every number, role and list a campus's policies set. Platform knows only its
 * own sections (the institution, its campuses); src/app/profile.schema.ts adds every domain's
 * sections to this interface by declaration merging, so code reads `ctx.profile.alerts` fully typed
 * while platform imports no domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- domains' sections merge in from src/app/profile.schema.ts
export interface Profile extends PlatformProfile {}

/** Raised when the policy profile cannot be used; the message names every bad field and why. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid policy profile ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

/**
 * Parse profile YAML text and validate it against a schema, then against rules that span fields
 * (`crossCheck` lists every problem it finds). Every problem is reported at once.
 */
export function parseProfileText<T>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
  crossCheck: (profile: T) => string[],
): T {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProfileError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ProfileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return parsed.data;
}
