import type { TestSystem } from './system.js';

/**
 * The ids of the current templates for these hazards, in the same order, as GET /api/v1/templates
 * lists them to a caller with `headers`; throws when a hazard has none.
 */
export async function templateIdsFor<const H extends readonly string[]>(
  sys: TestSystem,
  headers: Record<string, string>,
  ...hazards: H
): Promise<{ [K in keyof H]: string }> {
  const r = await sys.app!.inject({ url: '/api/v1/templates', headers });
  const { templates } = r.json() as { templates: Array<{ id: string; hazard: string }> };
  const ids = hazards.map((hazard) => {
    const found = templates.find((t) => t.hazard === hazard);
    if (!found) throw new Error(`no template for ${hazard}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    return found.id;
  });
  return ids as { [K in keyof H]: string };
}
