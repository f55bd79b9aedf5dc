/** Text on one line: runs of whitespace (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The text on one line ending with sentence punctuation, or '' when it is empty. */
export function sentence(text: string): string {
  const line = oneLine(text);
  if (line === '') return '';
  return /[.!?。！？:;)"'”’]$/u.test(line) ? line : `${line}.`;
}

/** Non-empty parts joined with a separator. */
export function joinParts(parts: Array<string | undefined>, separator = ' '): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(separator);
}

/**
 * The text cut to at most `max` code points, at a word boundary when one is near, ending with the
 * ellipsis. Counting code points keeps emoji and CJK whole.
 */
export function shorten(text: string, max: number, ellipsis = '...'): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const room = max - Array.from(ellipsis).length;
  if (room <= 0) return Array.from(ellipsis).slice(0, Math.max(max, 0)).join('');
  const cut = chars.slice(0, room).join('');
  const lastSpace = cut.lastIndexOf(' ');
  // Prefer a word boundary unless it would throw away more than a third of the room.
  const kept = lastSpace > room * 0.66 ? cut.slice(0, lastSpace) : cut;
  return `${kept.replace(/[\s.,;:]+$/u, '')}${ellipsis}`;
}

/** The URL when it is an absolute http(s) URL, otherwise undefined (never a javascript: link). */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A warning for a link that was given but is not an absolute http(s) URL. */
export function linkWarnings(links: Record<string, string | undefined>): string[] {
  return Object.entries(links)
    .filter(([, url]) => url !== undefined && url.trim() !== '' && safeHttpUrl(url) === undefined)
    .map(([name, url]) => `The ${name} link “${url}” is not an http(s) URL and was left out.`);
}

/**
 * The parts with one field shortened as little as possible (to no fewer than `floor` code points)
 * so that `fits` holds; unchanged when they already fit or the field is already short.
 */
export function shortenToFit<T extends Record<K, string>, K extends string>(
  parts: T,
  field: K,
  floor: number,
  fits: (candidate: T) => boolean,
): T {
  const full = Array.from(parts[field]).length;
  const withLength = (length: number): T => ({ ...parts, [field]: shorten(parts[field], length) });
  if (full <= floor || fits(parts)) return parts;
  let low = floor;
  let high = full - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(withLength(mid))) low = mid;
    else high = mid - 1;
  }
  return withLength(low);
}
