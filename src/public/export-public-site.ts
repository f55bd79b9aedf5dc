import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../platform/context.js';
import { allPublicPaths, renderPublicPath } from './public-files.js';
import { parsePublicPath } from './public-paths.js';
import { loadPublicSite } from './load-public-site.js';
import type { PublicSite } from './public-site.model.js';
import { siteContextOf } from './site-context.js';

export interface ExportResult {
  dir: string;
  /** Files in the mirror, and how many of them this run wrote (the rest were already current). */
  files: number;
  written: number;
  bytes: number;
  /** Files of alerts that are no longer public, deleted. */
  removed: number;
  /** The site's fingerprint: a later export with the same one would change nothing. */
  fingerprint: string;
  ms: number;
}

async function sameContent(file: string, body: Buffer): Promise<boolean> {
  try {
    return (await readFile(file)).equals(body);
  } catch {
    return false;
  }
}

/** Write one file so a reader sees the old bytes or the new, never half of them. */
async function writeAtomically(file: string, body: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, file);
}

async function siteFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/**
 * Write the whole public site (pages in every language, archive, feeds, CAP documents, JSON, the
 * signage view that polls) as static files any web server or object store can serve, or a browser
 * can open from disk. Unchanged files are left alone; every page of an alert is written before the
 * pages that link to it; files of alerts no longer public are removed, and nothing else in the
 * directory is touched.
 */
export async function exportPublicSite(
  ctx: Pick<AppContext, 'db' | 'clock' | 'profile' | 'config'>,
  dir: string,
  options: { siteUrl?: string; site?: PublicSite } = {},
): Promise<ExportResult> {
  const started = Date.now();
  const target = path.resolve(dir);
  await mkdir(target, { recursive: true });
  const site = options.site ?? (await loadPublicSite(ctx));
  const sc = {
    ...siteContextOf(ctx, site),
    ...(options.siteUrl ? { siteUrl: options.siteUrl.replace(/\/+$/, '') } : {}),
  };
  // Leaves first: alert pages and CAP documents, then archive, feeds and last the front pages.
  const paths = allPublicPaths(sc).reverse();
  let written = 0;
  let bytes = 0;
  for (const file of paths) {
    const rendered = renderPublicPath(sc, file, false);
    if (!rendered) continue;
    const body = Buffer.from(rendered.body, 'utf8');
    bytes += body.length;
    const destination = path.join(target, ...file.split('/'));
    if (await sameContent(destination, body)) continue;
    await writeAtomically(destination, body);
    written += 1;
  }
  const keep = new Set(paths);
  const stale = (await siteFilesIn(target)).filter(
    (file) => !keep.has(file) && parsePublicPath(file, sc.languages) !== null,
  );
  for (const file of stale) await rm(path.join(target, ...file.split('/')), { force: true });
  return {
    dir: target,
    files: paths.length,
    written,
    bytes,
    removed: stale.length,
    fingerprint: site.fingerprint,
    ms: Date.now() - started,
  };
}
