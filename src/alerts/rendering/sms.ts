import type { AlertContent } from './alert-content.js';
import { fallbackWarning, markersFor, phrasesFor, type Phrases } from './phrases.js';
import { smsEncoding, type SmsEncoding } from './sms-segments.js';
import { joinParts, linkWarnings, oneLine, safeHttpUrl, sentence, shortenToFit } from './text.js';

/** An SMS ready to send, with its encoding and the warnings the composer shows. */
export interface SmsRendering {
  text: string;
  encoding: SmsEncoding;
  /** The fields cut short (ending in "...") to fit the segments: the preview says so. */
  shortened: Array<'what' | 'where'>;
  warnings: string[];
}

/** Beyond this many segments `what` (then `where`) is shortened; the actions never are. */
export const maxSmsSegments = 3;

// Word processors' typography that has a GSM-7 equivalent. Left alone, one curly apostrophe turns
// the whole message into UCS-2 and halves the characters per segment. Letters are never replaced:
// text in another script (Chinese, Arabic…) stays UCS-2.
const typography: Array<[RegExp, string]> = [
  [/[‘’‚‛′`]/gu, "'"],
  [/[“”„‟″«»]/gu, '"'],
  [/[‐‑‒–—―−]/gu, '-'],
  [/…/gu, '...'],
  [/[•·]/gu, '-'],
  [/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t]/gu, ' '],
  [/[\u200B-\u200D\u2060\uFEFF]/gu, ''],
];

/** Text with typographic quotes, dashes, ellipses and odd spaces replaced by their GSM-7 forms. */
export function toGsmFriendly(text: string): string {
  return typography.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

type SmsParts = {
  header: string;
  what: string;
  where: string;
  tail: string;
};

/** The parts of the message; `what` and `where` are the ones that may be shortened. */
function smsParts(content: AlertContent, phrases: Phrases): SmsParts {
  const markers = markersFor(content, phrases);
  const page = safeHttpUrl(content.links.page);
  // CTIA: opt-out instructions in the first message and in the last, the all-clear, which is often
  // the one people keep; updates in between stay short.
  const first = content.sequence === 0 && content.messageType === 'alert';
  const optOut = first || content.messageType === 'all_clear' ? phrases.sms.optOut : undefined;
  return {
    header: joinParts([oneLine(content.institution.prefix), ...markers.map((marker) => `${marker} -`)]),
    what: toGsmFriendly(oneLine(content.what)),
    where: toGsmFriendly(oneLine(content.where)),
    tail: toGsmFriendly(
      joinParts([
        sentence(content.actions),
        page ? `${phrases.sms.info} ${page}` : undefined,
        sentence(content.replyPrompt ?? (content.acknowledgementRequested ? phrases.sms.acknowledge : '')),
        optOut,
      ]),
    ),
  };
}

/** The message text from its parts. */
function smsText(parts: SmsParts, phrases: Phrases): string {
  const where = parts.where === '' ? undefined : `${phrases.sms.where} ${sentence(parts.where)}`;
  return joinParts([parts.header, sentence(parts.what), where, parts.tail]);
}

/** The SMS for an alert: prefix, TEST/EXERCISE and UPDATE/ALL CLEAR markers, the message, link and prompts. */
export function renderSms(content: AlertContent): SmsRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const full = smsParts(content, phrases);
  const fits = (candidate: SmsParts) => smsEncoding(smsText(candidate, phrases)).segments <= maxSmsSegments;
  const parts = shortenToFit(shortenToFit(full, 'what', 40, fits), 'where', 30, fits);
  const text = smsText(parts, phrases);
  const encoding = smsEncoding(text);
  const warnings = [...encoding.warnings, ...linkWarnings({ page: content.links.page })];
  if (parts.what !== full.what)
    warnings.push(`The description was shortened to fit ${maxSmsSegments} segments.`);
  if (parts.where !== full.where)
    warnings.push(`The location was shortened to fit ${maxSmsSegments} segments.`);
  if (encoding.segments > maxSmsSegments) {
    warnings.push(
      `The message needs ${encoding.segments} segments even with a short description: shorten the actions.`,
    );
  }
  if (fallback) warnings.push(fallbackWarning(content.language));
  const shortened = (['what', 'where'] as const).filter((field) => parts[field] !== full[field]);
  return { text, encoding, shortened, warnings };
}
