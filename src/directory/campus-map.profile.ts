import { z } from 'zod';

// {z}/{x}/{y} and nothing else: one origin (no {s} subdomains), so the Content-Security-Policy can
// name exactly it.
const tileUrl = z
  .string()
  .max(500)
  .refine((url) => ['{z}', '{x}', '{y}'].every((p) => url.includes(p)), 'must contain {z}, {x} and {y}')
  .refine((url) => !/\{(?![zxy]\})[^}]*\}/.test(url), 'may contain no placeholder but {z}, {x} and {y}')
  .refine(
    (url) => url.startsWith('/') || tileOrigin(url) !== null,
    'must be an https:// or http:// URL, or a path on Tocsin’s own origin starting with /',
  );

/** The campus map's profile section: an optional self-hosted tile source (default: outlines only). */
export const campusMapProfileSections = {
  map: z
    .strictObject({
      tiles: z
        .strictObject({
          url: tileUrl,
          attribution: z.string().min(1).max(300),
          maxZoom: z.number().int().min(1).max(22).default(19),
        })
        .optional(),
    })
    .optional(),
};

/** The origin of an absolute tile URL template, or null (a path on Tocsin's origin, or unusable). */
function tileOrigin(url: string): string | null {
  try {
    const u = new URL(url.replace(/\{[zxy]\}/g, '0'));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The image sources the console may load beyond its own origin: the tile server's, when set. */
export function mapImageSources(profile: { map?: { tiles?: { url: string } } }): string[] {
  const url = profile.map?.tiles?.url;
  const origin = url && !url.startsWith('/') ? tileOrigin(url) : null;
  return origin ? [origin] : [];
}
