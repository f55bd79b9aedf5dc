import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../../platform/errors.js';
import { requireXmlWithoutDtd } from './xml-without-dtd.js';

/** One entry of an Atom feed of CAP alerts: the CAP document inline, or the link to fetch it from. */
export interface AtomCapEntry {
  /** The entry's id and updated time: the same key again means an entry already read. */
  key: string;
  /** The CAP <alert> document carried in the entry's content, when it carries one. */
  inline: string | null;
  /** Absolute URL of the CAP document, when not inline. */
  link: string | null;
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  htmlEntities: true,
  // Keep the content's markup as written: an inline CAP document is validated as received.
  stopNodes: ['feed.entry.content'],
  isArray: (_name, jpath) => ['feed.entry', 'feed.entry.link'].includes(String(jpath)),
});

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && '#text' in value) return String((value as Node)['#text']).trim();
  return '';
}

/** Namespace declarations on the feed's root element, by prefix ('' for the default). */
function rootNamespaces(xml: string): Map<string, string> {
  const root = /<(?:[\w.-]+:)?feed\b[^>]*>/.exec(xml)?.[0] ?? '';
  const found = new Map<string, string>();
  for (const m of root.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']/g)) found.set(m[1] ?? '', m[2]!);
  return found;
}

/**
 * The CAP <alert> inside an entry's content, as a document of its own: a namespace prefix the
 * feed declared on its root is declared on the alert too, or the alert would not parse alone.
 */
function inlineAlert(content: unknown, namespaces: Map<string, string>): string | null {
  const markup = text(content);
  const start = /<(?:([\w.-]+):)?alert\b[^>]*>/.exec(markup);
  if (!start) return null;
  const prefix = start[1] ?? '';
  const attribute = prefix ? `xmlns:${prefix}` : 'xmlns';
  const alert = markup.slice(start.index);
  const declared = new RegExp(`\\s${attribute.replace('.', '\\.')}\\s*=`).test(start[0]);
  const inherited = namespaces.get(prefix);
  if (declared || !inherited) return alert;
  const name = prefix ? `${prefix}:alert` : 'alert';
  return alert.replace(`<${name}`, `<${name} ${attribute}="${inherited}"`);
}

/** The entry's link to its CAP document: typed application/cap+xml first, then the alternate. */
function capLink(links: Node[], base: string): string | null {
  const chosen =
    links.find((l) => l['@type'] === 'application/cap+xml') ??
    links.find((l) => (l['@rel'] ?? 'alternate') === 'alternate') ??
    links[0];
  const href = chosen?.['@href'];
  if (typeof href !== 'string' || href === '') return null;
  const url = new URL(href, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
}

/**
 * Read an Atom feed of CAP alerts (the National Weather Service's, or any CAP-over-Atom feed):
 * each entry's inline CAP document or the link to it. Refuses a DTD and malformed XML before the
 * feed is parsed, so no entity declared in it is ever expanded.
 */
export function readAtomEntries(xml: string, feedUrl: string): AtomCapEntry[] {
  requireXmlWithoutDtd(xml, 'feed');
  const feed = (parser.parse(xml) as Node).feed as Node | undefined;
  if (!feed || typeof feed !== 'object')
    throw new AppError('validation', 'The document is not an Atom feed.');
  const namespaces = rootNamespaces(xml);
  return ((feed.entry as Node[] | undefined) ?? []).map((entry) => {
    const links = (entry.link as Node[] | undefined) ?? [];
    const link = capLink(links, feedUrl);
    const id = text(entry.id) || link || '';
    return {
      key: `${id} ${text(entry.updated)}`.trim().slice(0, 2000),
      inline: inlineAlert(entry.content, namespaces),
      link,
    };
  });
}
