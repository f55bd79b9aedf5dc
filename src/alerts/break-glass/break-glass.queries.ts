import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { listTemplates } from '../templates.js';

/** A template the form offers, with its current words in the primary language. */
export interface FormTemplate {
  id: string;
  name: string;
  hazard: string;
  what: string;
  actions: string;
}

/**
 * The templates to send a new alert with, most used first, and their current text in the primary
 * language (the all-clear is sent from an alert's page, not as an alert of its own).
 */
export async function formTemplates(q: Queryable, primaryLanguage: string): Promise<FormTemplate[]> {
  const templates = (await listTemplates(q)).filter((t) => t.hazard !== 'all_clear');
  if (templates.length === 0) return [];
  const texts = await q
    .selectFrom('alert_template_versions as v')
    .innerJoin('alert_templates as t', (j) =>
      j.onRef('t.id', '=', 'v.template_id').onRef('t.current_version', '=', 'v.version'),
    )
    .select(['v.template_id', 'v.what', 'v.actions'])
    .where('v.language', '=', primaryLanguage)
    .where(
      'v.template_id',
      'in',
      templates.map((t) => t.id),
    )
    .execute();
  return templates.map((t) => {
    const text = texts.find((x) => x.template_id === t.id);
    return { id: t.id, name: t.name, hazard: t.hazard, what: text?.what ?? '', actions: text?.actions ?? '' };
  });
}

/** How many of an alert's messages have not fanned out yet (their deliveries do not all exist). */
export async function messagesAwaitingFanOut(q: Queryable, alertId: string): Promise<number> {
  const row = await q
    .selectFrom('alert_messages')
    .select(sql<string>`count(*)`.as('n'))
    .where('alert_id', '=', alertId)
    .where('fanned_out_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
