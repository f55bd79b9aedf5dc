import type { RepliesProfile } from './replies.profile.js';
import type { InboundAction } from './replies.tables.js';

/**
 * What an inbound SMS asks for. CTIA keywords are exact single words, case-insensitive, ignoring
 * spaces and trailing punctuation around them ("Stop", " STOP. "); "stop it" or "help me" are not
 * keywords. "HELP" is always the HELP keyword, never "I need help": the need-help answer is "2"
 * (and whatever the profile lists under needHelp), so a campus cannot confuse the two.
 */
export function classifyReply(body: string, keywords: RepliesProfile['keywords']): InboundAction {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/[.!?,;:]+$/u, '')
    .trim()
    .toUpperCase();
  if (!/^[A-Z0-9]{1,20}$/.test(word)) return 'unknown';
  if (keywords.stop.includes(word)) return 'stop';
  if (keywords.start.includes(word)) return 'start';
  if (keywords.help.includes(word)) return 'help';
  if (keywords.safe.includes(word)) return 'safe';
  if (keywords.needHelp.includes(word)) return 'need_help';
  return 'unknown';
}

/** A reply text with {program} and {contact} filled in. */
export function fillReply(text: string, values: { program: string; contact: string }): string {
  return text.replaceAll('{program}', values.program).replaceAll('{contact}', values.contact);
}
