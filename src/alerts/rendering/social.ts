import type { AlertContent } from './alert-content.js';
import { fallbackWarning, markersFor, phrasesFor, type Phrases } from './phrases.js';
import { joinParts, linkWarnings, oneLine, safeHttpUrl, sentence, shortenToFit } from './text.js';

/** A post for X, with its length as X counts it. */
export interface XPostRendering {
  text: string;
  length: number;
  warnings: string[];
}

/** A Facebook page post: the message and the link Facebook previews. */
export interface FacebookPostRendering {
  message: string;
  link?: string;
  warnings: string[];
}

export const xMaxLength = 280;

// X's weighted length (twitter-text configuration v3; the twitter-text package has had no release
// since 2020, so the rules are here): code points in these ranges weigh 1, all others 2 (CJK among
// them); an emoji sequence weighs 2; every URL weighs 23, its t.co length.
const lightRanges: Array<[number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const urlWeight = 23;
const emojiWeight = 2;

// Links with a scheme, and bare domains under common generic top-level domains, which X also links.
// Counting a non-link as 23 only makes the post shorter; missing a link would make X reject it.
const urlPattern =
  /\bhttps?:\/\/[^\s]+|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|mil|info|io|co|us|app|dev)\b(?:\/[^\s]*)?/giu;
const emojiPattern = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The weight of text without URLs. */
function weightOfText(text: string): number {
  let weight = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (emojiPattern.test(segment)) {
      weight += emojiWeight;
      continue;
    }
    for (const char of segment) {
      const code = char.codePointAt(0) ?? 0;
      weight += lightRanges.some(([start, end]) => code >= start && code <= end) ? 1 : 2;
    }
  }
  return weight;
}

/** A post's length the way X counts it (NFC, URLs 23, CJK and emoji 2). */
export function xLength(text: string): number {
  const normalized = text.normalize('NFC');
  const urls = normalized.match(urlPattern) ?? [];
  return weightOfText(normalized.replace(urlPattern, '')) + urls.length * urlWeight;
}

const fieldNames = { what: 'the description', where: 'the location', actions: 'the actions' } as const;

type PostParts = { header: string; what: string; where: string; actions: string; link: string };

/** The post's parts; the link is the emergency page, or the institution's site when there is none. */
function postParts(content: AlertContent, phrases: Phrases): PostParts {
  const markers = markersFor(content, phrases).map((marker) => `${marker} -`);
  return {
    header: joinParts([oneLine(content.institution.prefix), ...markers]),
    what: oneLine(content.what),
    where: oneLine(content.where),
    actions: oneLine(content.actions),
    link: safeHttpUrl(content.links.page) ?? safeHttpUrl(content.institution.url) ?? '',
  };
}

/** The post text from its parts. */
function postText(parts: PostParts, phrases: Phrases): string {
  const where = parts.where === '' ? undefined : `${phrases.labels.where}: ${sentence(parts.where)}`;
  return joinParts([
    parts.header,
    sentence(parts.what),
    where,
    sentence(parts.actions),
    parts.link,
  ]).normalize('NFC');
}

/** The post for X within 280 weighted characters: what, then where, then actions are shortened; never the link. */
export function renderXPost(content: AlertContent): XPostRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const full = postParts(content, phrases);
  const fits = (candidate: PostParts) => xLength(postText(candidate, phrases)) <= xMaxLength;
  let parts = shortenToFit(full, 'what', 40, fits);
  parts = shortenToFit(parts, 'where', 20, fits);
  parts = shortenToFit(parts, 'actions', 40, fits);
  const text = postText(parts, phrases);
  const length = xLength(text);
  const warnings = linkWarnings({ page: content.links.page });
  const shortened = (['what', 'where', 'actions'] as const).filter((field) => parts[field] !== full[field]);
  if (shortened.length > 0) {
    const names = shortened.map((field) => fieldNames[field]).join(', ');
    warnings.push(`Shortened to fit ${xMaxLength} characters: ${names}.`);
  }
  if (length > xMaxLength)
    warnings.push(`The post is ${length} characters, over ${xMaxLength}: shorten the template.`);
  if (fallback) warnings.push(fallbackWarning(content.language));
  return { text, length, warnings };
}

/** The Facebook page post: the whole message (no practical length limit) and the page as the link. */
export function renderFacebookPost(content: AlertContent): FacebookPostRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const markers = markersFor(content, phrases).map((marker) => `${marker} -`);
  const drill =
    content.kind === 'test' || content.kind === 'exercise' ? phrases.drillNotice[content.kind] : undefined;
  const where = sentence(content.where);
  const message = joinParts(
    [
      joinParts([oneLine(content.institution.prefix), ...markers, sentence(content.what)]),
      where && `${phrases.labels.where}: ${where}`,
      sentence(content.actions),
      drill,
    ],
    '\n\n',
  );
  const link = safeHttpUrl(content.links.page) ?? safeHttpUrl(content.institution.url);
  const warnings = linkWarnings({ page: content.links.page });
  if (fallback) warnings.push(fallbackWarning(content.language));
  return { message, ...(link ? { link } : {}), warnings };
}
