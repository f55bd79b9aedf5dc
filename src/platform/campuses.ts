import { systemActor } from './actor.js';
import type { AuditWriter } from './audit-writer.js';
import type { AppContext } from './context.js';

/**
 * Make the campuses table hold every campus the profile declares (adds and renames; never deletes),
 * auditing each change with the audit domain's writer.
 */
export async function syncCampuses(ctx: AppContext, writeAudit: AuditWriter): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    for (const campus of ctx.profile.campuses) {
      const existing = await trx
        .selectFrom('campuses')
        .selectAll()
        .where('slug', '=', campus.slug)
        .executeTakeFirst();
      if (existing && existing.name === campus.name && existing.address === (campus.address ?? null))
        continue;
      const row = await trx
        .insertInto('campuses')
        .values({ slug: campus.slug, name: campus.name, address: campus.address ?? null })
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet({ name: campus.name, address: campus.address ?? null }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        actor: systemActor,
        action: existing ? 'campus.update' : 'campus.create',
        target: { type: 'campus', id: row.id },
        campusId: row.id,
        before: existing ? { name: existing.name, address: existing.address } : null,
        after: { slug: campus.slug, name: campus.name, address: campus.address ?? null },
      });
    }
  });
}
