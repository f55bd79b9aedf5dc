import { writeAudit } from '../audit/write-audit.js';
import { systemActor, type Actor, type RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Queryable } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import type { TemplateLanguage, TemplateVersion, TemplateVersionEntry } from './templates.types.js';

export type { TemplateLanguage, TemplateVersion, TemplateVersionEntry };

/** Give every hazard of the profile a template (version 1 from the profile's text) if it has none. */
export async function syncTemplatesFromProfile(ctx: AppContext): Promise<number> {
  let created = 0;
  for (const hazard of ctx.profile.alerts.hazards) {
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('alert_templates')
        .select('id')
        .where('hazard', '=', hazard.code)
        .executeTakeFirst();
      if (existing) return;
      const template = await trx
        .insertInto('alert_templates')
        .values({ hazard: hazard.code, name: hazard.title })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!template) return;
      await trx
        .insertInto('alert_template_versions')
        .values(
          Object.entries(hazard.templates).map(([language, t]) => ({
            template_id: template.id,
            version: 1,
            language,
            what: t.what,
            where_text: t.where,
            actions: t.actions,
            cap: JSON.stringify(hazard.cap),
            created_by: 'profile',
          })),
        )
        .execute();
      await writeAudit(trx, {
        actor: systemActor,
        action: 'template.create',
        target: { type: 'alert_template', id: template.id },
        after: { hazard: hazard.code, version: 1 },
      });
      created += 1;
    });
  }
  return created;
}

/** A template's version (its current one unless given), with every language. */
export async function loadTemplateVersion(
  q: Queryable,
  templateId: string,
  version?: number,
): Promise<TemplateVersion> {
  const template = await q
    .selectFrom('alert_templates')
    .selectAll()
    .where('id', '=', templateId)
    .executeTakeFirst();
  if (!template) throw notFound('Template');
  const v = version ?? template.current_version;
  const rows = await q
    .selectFrom('alert_template_versions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('version', '=', v)
    .execute();
  if (rows.length === 0) throw notFound(`Version ${v} of template "${template.name}"`);
  return {
    templateId,
    name: template.name,
    hazard: template.hazard,
    version: v,
    cap: rows[0]!.cap,
    languages: Object.fromEntries(
      rows.map((r) => [r.language, { what: r.what, where: r.where_text, actions: r.actions }]),
    ),
  };
}

/** Templates with their current version, most used first (then by name). */
export async function listTemplates(q: Queryable) {
  return q
    .selectFrom('alert_templates as t')
    .leftJoin('alerts as a', 'a.template_id', 't.id')
    .select((eb) => [
      't.id',
      't.name',
      't.hazard',
      't.current_version',
      eb.fn.count<string>('a.id').as('uses'),
    ])
    .where('t.archived_at', 'is', null)
    .groupBy('t.id')
    .orderBy('uses', 'desc')
    .orderBy('t.name')
    .execute();
}

/** Save a new version of a template (all languages at once); earlier versions stay as they were. */
export async function saveTemplateVersion(
  ctx: AppContext,
  actor: Actor,
  templateId: string,
  input: { languages: Record<string, TemplateLanguage>; cap?: Record<string, string> },
  request: RequestMeta,
): Promise<TemplateVersion> {
  const primary = ctx.profile.alerts.languages[0]!;
  if (!input.languages[primary])
    throw new AppError('validation', `A template version needs the primary language "${primary}".`, {
      field: 'languages',
    });
  const unknown = Object.keys(input.languages).filter((l) => !ctx.profile.alerts.languages.includes(l));
  if (unknown.length > 0)
    throw new AppError('validation', `Languages not in the profile: ${unknown.join(', ')}.`, {
      field: 'languages',
    });
  return ctx.db.transaction().execute(async (trx) => {
    const template = await trx
      .selectFrom('alert_templates')
      .selectAll()
      .where('id', '=', templateId)
      .forUpdate()
      .executeTakeFirst();
    if (!template) throw notFound('Template');
    const previous = await loadTemplateVersion(trx, templateId);
    const version = template.current_version + 1;
    await trx
      .insertInto('alert_template_versions')
      .values(
        Object.entries(input.languages).map(([language, t]) => ({
          template_id: templateId,
          version,
          language,
          what: t.what,
          where_text: t.where,
          actions: t.actions,
          cap: JSON.stringify(input.cap ?? previous.cap),
          created_by: actor.label,
        })),
      )
      .execute();
    await trx
      .updateTable('alert_templates')
      .set({ current_version: version })
      .where('id', '=', templateId)
      .execute();
    await writeAudit(trx, {
      actor,
      action: 'template.version',
      target: { type: 'alert_template', id: templateId },
      before: { version: template.current_version },
      after: { version, languages: Object.keys(input.languages) },
      request,
    });
    return loadTemplateVersion(trx, templateId, version);
  });
}

/** Every version of a template, newest first, with its languages and who saved it. */
export async function listTemplateVersions(
  q: Queryable,
  templateId: string,
): Promise<TemplateVersionEntry[]> {
  const template = await q
    .selectFrom('alert_templates')
    .select('id')
    .where('id', '=', templateId)
    .executeTakeFirst();
  if (!template) throw notFound('Template');
  const rows = await q
    .selectFrom('alert_template_versions')
    .select((eb) => [
      'version',
      eb.fn.agg<string[]>('array_agg', ['language']).as('languages'),
      eb.fn.max('created_by').as('created_by'),
      eb.fn.max('created_at').as('created_at'),
    ])
    .where('template_id', '=', templateId)
    .groupBy('version')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    languages: [...r.languages].sort(),
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}
