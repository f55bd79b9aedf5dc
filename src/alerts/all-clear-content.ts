import type { Queryable } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { AlertKind, MessageContent } from './alerts.tables.js';
import { phrasesFor } from './rendering/phrases.js';
import { composeContent } from './send-alert.js';
import { loadTemplateVersion, type TemplateVersion } from './templates.js';

/** The operator's replacements of the primary language's words; the rest comes from the template. */
export interface AllClearWords {
  what?: string;
  where?: string;
  actions?: string;
}

/** The words of an all-clear and the template version they came from. */
export interface AllClearContent {
  templateId: string;
  version: number;
  content: MessageContent;
  template: TemplateVersion;
}

/**
 * The all-clear's words, per language: the all_clear template's for a real alert; for a test or
 * exercise the drill's own fixed words ("The test is over."), since the template speaks of an
 * emergency that a drill never was. Where stays the last message's unless replaced; the operator's
 * what, where and actions replace the primary language's.
 */
export async function composeAllClear(
  q: Queryable,
  alert: { kind: AlertKind; lastContent: MessageContent },
  words: AllClearWords,
  primary: string,
): Promise<AllClearContent> {
  const allClear = await q
    .selectFrom('alert_templates')
    .select('id')
    .where('hazard', '=', 'all_clear')
    .executeTakeFirst();
  if (!allClear)
    throw new AppError('conflict', 'The profile has no all_clear hazard to word the all-clear with.');
  const template = await loadTemplateVersion(q, allClear.id);
  const where = words.where ?? alert.lastContent[primary]?.where ?? '';
  const content = composeContent(template, { where, what: words.what, actions: words.actions }, primary);
  const { kind } = alert;
  const from = { templateId: template.templateId, version: template.version, template };
  if (kind !== 'test' && kind !== 'exercise') return { ...from, content };
  const drill = Object.fromEntries(
    Object.entries(content).map(([language, text]) => {
      const over = phrasesFor(language).phrases.drillOver[kind];
      const own = language === primary ? words : {};
      return [language, { ...text, what: own.what ?? over.what, actions: own.actions ?? over.actions }];
    }),
  );
  return { ...from, content: drill };
}
