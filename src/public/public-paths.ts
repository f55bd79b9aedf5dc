import path from 'node:path';
import { alertKinds, type AlertKind } from '../alerts/alerts.tables.js';

/**
 * The public site's files. Every page links to the others by relative paths ending in a file
 * name, so the same bytes work served by Tocsin, by any static web server or object store, and
 * opened from disk (file:// has no directory index). Pages in languages other than the first are
 * `<name>.<lang>.html`.
 */
export const sitePaths = {
  home: (lang: string, primary: string) => page('index', lang, primary),
  alert: (id: string, lang: string, primary: string) => page(`alerts/${id}`, lang, primary),
  alertJson: (id: string) => `alerts/${id}.json`,
  archive: (filter: ArchiveFilter, lang: string, primary: string) =>
    page(`archive/${archiveSlug(filter)}`, lang, primary),
  /** The CAP document of an alert's latest message. */
  cap: (id: string) => `cap/${id}.xml`,
  capMessage: (id: string, sequence: number) => `cap/${id}.${sequence}.xml`,
  atom: 'feeds/alerts.atom',
  rss: 'feeds/alerts.rss',
  capFeed: 'feeds/cap.atom',
  json: 'alerts.json',
  signage: (lang: string, primary: string) => page('signage', lang, primary),
  signageJson: (lang: string, primary: string) =>
    lang === primary ? 'signage.json' : `signage.${lang}.json`,
  signageScript: 'signage.js',
};

function page(name: string, lang: string, primary: string): string {
  return lang === primary ? `${name}.html` : `${name}.${lang}.html`;
}

/** Which alerts an archive page lists: a year, a kind, both or neither. */
export interface ArchiveFilter {
  year?: number;
  kind?: AlertKind;
}

function archiveSlug(filter: ArchiveFilter): string {
  const parts = [filter.year, filter.kind].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join('-') : 'index';
}

/** A public file a path names, or null for a path that names none. */
export type PublicPath =
  | { file: 'home'; lang: string }
  | { file: 'alert'; id: string; lang: string }
  | { file: 'alertJson'; id: string }
  | { file: 'archive'; filter: ArchiveFilter; lang: string }
  | { file: 'cap'; id: string; sequence?: number }
  | { file: 'atom' | 'rss' | 'capFeed' | 'json' | 'signageScript' }
  | { file: 'signage'; lang: string }
  | { file: 'signageJson'; lang: string };

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const lang = '(?:\\.([a-z]{2}(?:-[A-Z]{2})?))?';
const kinds = alertKinds.join('|');
const patterns: Array<[RegExp, (m: RegExpMatchArray, primary: string) => PublicPath | null]> = [
  [new RegExp(`^index${lang}\\.html$`), (m, p) => ({ file: 'home', lang: m[1] ?? p })],
  [new RegExp(`^alerts/(${uuid})${lang}\\.html$`), (m, p) => ({ file: 'alert', id: m[1]!, lang: m[2] ?? p })],
  [new RegExp(`^alerts/(${uuid})\\.json$`), (m) => ({ file: 'alertJson', id: m[1]! })],
  [new RegExp(`^cap/(${uuid})(?:\\.(\\d{1,6}))?\\.xml$`), (m) => capPath(m[1]!, m[2])],
  [
    new RegExp(`^archive/(?:index|(\\d{4})|(${kinds})|(\\d{4})-(${kinds}))${lang}\\.html$`),
    (m, p) => ({ file: 'archive', filter: archiveFilter(m), lang: m[5] ?? p }),
  ],
  [new RegExp(`^signage${lang}\\.html$`), (m, p) => ({ file: 'signage', lang: m[1] ?? p })],
  [new RegExp(`^signage${lang}\\.json$`), (m, p) => ({ file: 'signageJson', lang: m[1] ?? p })],
];
const fixed: Record<string, PublicPath> = {
  [sitePaths.atom]: { file: 'atom' },
  [sitePaths.rss]: { file: 'rss' },
  [sitePaths.capFeed]: { file: 'capFeed' },
  [sitePaths.json]: { file: 'json' },
  [sitePaths.signageScript]: { file: 'signageScript' },
};

function capPath(id: string, sequence: string | undefined): PublicPath {
  return sequence === undefined ? { file: 'cap', id } : { file: 'cap', id, sequence: Number(sequence) };
}

function archiveFilter(m: RegExpMatchArray): ArchiveFilter {
  const year = m[1] ?? m[3];
  const kind = (m[2] ?? m[4]) as AlertKind | undefined;
  return { ...(year ? { year: Number(year) } : {}), ...(kind ? { kind } : {}) };
}

/** What a site path (no leading slash; '' is the home page) names, in the site's languages. */
export function parsePublicPath(file: string, languages: readonly string[]): PublicPath | null {
  const primary = languages[0]!;
  const name = file === '' ? 'index.html' : file;
  const known = fixed[name];
  if (known) return known;
  for (const [pattern, make] of patterns) {
    const match = pattern.exec(name);
    if (!match) continue;
    const parsed = make(match, primary);
    if (parsed && 'lang' in parsed && !languages.includes(parsed.lang)) return null;
    return parsed;
  }
  return null;
}

/** The relative link from one site file to another ('alerts/x.html' → 'index.html' is '../index.html'). */
export function relativeLink(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(`/${from}`), `/${to}`) || path.posix.basename(to);
}
