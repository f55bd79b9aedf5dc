import type { AlertContent } from './alert-content.js';
import { fallbackWarning, markersFor, phrasesFor, type Phrases } from './phrases.js';
import { linkWarnings, safeHttpUrl, sentence } from './text.js';
import { escapeXml } from './xml.js';

/** A voice call's script as SSML, as plain text and as TwiML with the replay/help keys. */
export interface VoiceRendering {
  ssml: string;
  text: string;
  twiml: string;
  /** The language tag the voice speaks, e.g. 'en-US'. */
  language: string;
  voice: string;
  warnings: string[];
}

// Twilio <Say> language codes with an Amazon Polly voice that speaks them (standard voices, which
// accept SSML). North American variants first: the callers are on US campuses.
const voices: Record<string, { language: string; voice: string }> = {
  en: { language: 'en-US', voice: 'Polly.Joanna' },
  es: { language: 'es-US', voice: 'Polly.Lupe' },
  zh: { language: 'cmn-CN', voice: 'Polly.Zhiyu' },
  fr: { language: 'fr-CA', voice: 'Polly.Chantal' },
  pt: { language: 'pt-BR', voice: 'Polly.Camila' },
  de: { language: 'de-DE', voice: 'Polly.Vicki' },
  it: { language: 'it-IT', voice: 'Polly.Bianca' },
  ja: { language: 'ja-JP', voice: 'Polly.Mizuki' },
  ko: { language: 'ko-KR', voice: 'Polly.Seoyeon' },
  ru: { language: 'ru-RU', voice: 'Polly.Tatyana' },
  ar: { language: 'arb', voice: 'Polly.Zeina' },
  hi: { language: 'hi-IN', voice: 'Polly.Aditi' },
};

/** The voice for a language tag ('es-MX' uses 'es'); undefined when none speaks it. */
export function voiceFor(language: string): { language: string; voice: string } | undefined {
  return voices[language.toLowerCase().split('-')[0] ?? ''];
}

/** 'ALL CLEAR' read as 'All clear.': capitals may be spelled out letter by letter. */
function spokenMarker(marker: string, language: string): string {
  const lower = marker.toLocaleLowerCase(language);
  return sentence(lower.charAt(0).toLocaleUpperCase(language) + lower.slice(1));
}

/** The message read once: drill notice, markers, what, where, actions. */
function messageSentences(content: AlertContent, phrases: Phrases): string[] {
  const drill =
    content.kind === 'test' || content.kind === 'exercise' ? phrases.drillNotice[content.kind] : '';
  const status = markersFor(content, phrases)
    .slice(drill === '' ? 0 : 1)
    .map((marker) => spokenMarker(marker, content.language));
  const where = sentence(content.where);
  return [
    drill,
    ...status,
    sentence(content.what),
    where === '' ? '' : `${phrases.labels.where}: ${where}`,
    sentence(content.actions),
  ].filter((part) => part !== '');
}

/** The spoken script in paragraphs: who is calling, the message, "I repeat", the message again, the keys. */
function script(content: AlertContent, phrases: Phrases, withKeys: boolean): string[][] {
  const intro = [
    sentence(content.institution.prefix.replace(/:\s*$/u, '')),
    `${phrases.voice.from} ${sentence(content.institution.name)}`,
  ];
  const message = messageSentences(content, phrases);
  return [intro, message, [phrases.voice.repeat, ...message], withKeys ? [phrases.voice.keys] : []].filter(
    (paragraph) => paragraph.length > 0,
  );
}

/** The call for an alert: institution, TEST/EXERCISE, the message spoken twice, then replay (1) and help (2). */
export function renderVoice(content: AlertContent): VoiceRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const found = voiceFor(content.language);
  const { language, voice } = found ?? { language: 'en-US', voice: 'Polly.Joanna' };
  const ackUrl = safeHttpUrl(content.links.acknowledge);
  const paragraphs = script(content, phrases, ackUrl !== undefined);
  const warnings = linkWarnings({ acknowledge: content.links.acknowledge });
  if (!found) warnings.push(`No voice speaks “${content.language}”: the call uses the English voice.`);
  if (fallback) warnings.push(fallbackWarning(content.language));
  // Only worth saying when answers were asked for: without a link the call has no keys to press.
  if (!ackUrl && content.acknowledgementRequested)
    warnings.push(
      'Voice calls cannot take answers (no acknowledgement link, so no keys to press): people answer by SMS reply or the email link.',
    );
  return {
    ssml: toSsml(paragraphs, language),
    text: paragraphs.map((paragraph) => paragraph.join(' ')).join('\n'),
    twiml: toTwiml(paragraphs, { language, voice }, ackUrl),
    language,
    voice,
    warnings,
  };
}

/** SSML for speech engines: one <p> per paragraph, a pause before the repeat. */
function toSsml(paragraphs: string[][], language: string): string {
  const body = paragraphs
    .map((paragraph) => `<p>${escapeXml(paragraph.join(' '))}</p>`)
    .join('<break time="1s"/>');
  return `<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeXml(language)}">${body}</speak>`;
}

/** TwiML: the script inside a one-digit <Gather> posting to the acknowledgement URL when there is one. */
function toTwiml(
  paragraphs: string[][],
  speaker: { language: string; voice: string },
  ackUrl?: string,
): string {
  const attributes = `voice="${escapeXml(speaker.voice)}" language="${escapeXml(speaker.language)}"`;
  const says = paragraphs
    .map((paragraph) => `<Say ${attributes}>${escapeXml(paragraph.join(' '))}</Say>`)
    .join('<Pause length="1"/>');
  const inner = ackUrl
    ? `<Gather numDigits="1" action="${escapeXml(ackUrl)}" method="POST" timeout="10">${says}</Gather>`
    : says;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;
}
