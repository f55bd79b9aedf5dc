import type { AlertContent } from './alert-content.js';
import { capValues } from './cap-values.js';
import { markersFor, phrasesFor } from './phrases.js';
import { joinParts, linkWarnings, oneLine, safeHttpUrl, sentence, shorten } from './text.js';
import { formatCapTime } from './time.js';
import { element } from './xml.js';

/** A CAP 1.2 document and what was adjusted to make it valid. */
export interface CapRendering {
  xml: string;
  warnings: string[];
}

type CapField = keyof typeof capValues;

/** CAP identifiers and senders may not contain spaces, commas, '<' or '&'. */
function capToken(text: string): string {
  return text.trim().replace(/[\s,<&]+/gu, '-');
}

/** The CAP identifier of one message of an alert: `${senderId}.${alertId}.${sequence}`. */
export function capIdentifier(senderId: string, alertId: string, sequence: number): string {
  return `${capToken(senderId)}.${capToken(alertId)}.${sequence}`;
}

/** CAP status: Test and Exercise for drills, otherwise Actual. */
export function capStatus(kind: AlertContent['kind']): 'Actual' | 'Test' | 'Exercise' {
  if (kind === 'test') return 'Test';
  if (kind === 'exercise') return 'Exercise';
  return 'Actual';
}

/** CAP msgType: Alert for the original, Cancel for a cancellation, Update for updates and the all-clear. */
export function capMsgType(messageType: AlertContent['messageType']): 'Alert' | 'Update' | 'Cancel' {
  if (messageType === 'alert') return 'Alert';
  return messageType === 'cancel' ? 'Cancel' : 'Update';
}

/** A schema value as given, or the fallback with a warning when the schema does not allow it. */
function capValue(field: CapField, value: string, fallback: string, warnings: string[]): string {
  if ((capValues[field] as readonly string[]).includes(value)) return value;
  warnings.push(`CAP ${field} “${value}” is not a CAP 1.2 value: ${fallback} was used.`);
  return fallback;
}

/**
 * The hazard's CAP values, adjusted for the message: an all-clear is AllClear/Past/Minor/Observed
 * (CAP: "no longer poses a threat", "responsive action is no longer required", "minimal to no known
 * threat"); a cancellation keeps nothing to act on, so None/Past/Minor/Observed.
 */
function infoValues(info: AlertContent, main: AlertContent, warnings: string[]) {
  const cap = info.hazard.cap;
  const values = {
    category: capValue('category', cap.category, 'Other', warnings),
    responseType: capValue('responseType', cap.responseType, 'None', warnings),
    urgency: capValue('urgency', cap.urgency, 'Unknown', warnings),
    severity: capValue('severity', cap.severity, 'Unknown', warnings),
    certainty: capValue('certainty', cap.certainty, 'Unknown', warnings),
  };
  if (main.messageType === 'all_clear' || main.messageType === 'cancel') {
    const responseType = main.messageType === 'all_clear' ? 'AllClear' : 'None';
    return { ...values, responseType, urgency: 'Past', severity: 'Minor', certainty: 'Observed' };
  }
  return values;
}

/** 'lat,lon lat,lon …' as a closed ring, or undefined (with a warning) when it is not a polygon. */
function capPolygon(points: Array<[number, number]>, warnings: string[]): string | undefined {
  const valid = points.every(
    ([lat, lon]) =>
      Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180,
  );
  const distinct = new Set(points.map(([lat, lon]) => `${lat},${lon}`)).size;
  if (!valid || distinct < 3) {
    warnings.push(
      'An area polygon needs at least three distinct latitude,longitude points: it was left out.',
    );
    return undefined;
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const ring = first[0] === last[0] && first[1] === last[1] ? points : [...points, first];
  const coordinate = (value: number) => String(Number(value.toFixed(6)));
  return ring.map(([lat, lon]) => `${coordinate(lat)},${coordinate(lon)}`).join(' ');
}

/** The <area> elements of one info block. */
function capAreas(areas: AlertContent['areas'], warnings: string[]): string[] {
  return areas.map((area) => {
    const polygon = area.polygon ? capPolygon(area.polygon, warnings) : undefined;
    const geocodes = (area.geocodes ?? []).map(
      (code) => `<geocode>${element('valueName', code.name)}${element('value', code.value)}</geocode>`,
    );
    const parts = [
      element('areaDesc', oneLine(area.description)),
      polygon && element('polygon', polygon),
      ...geocodes,
    ];
    return `<area>${joinParts(parts, '')}</area>`;
  });
}

// xs:language, the type of <language>.
const languageTag = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/u;

/** One <info> block for one language. */
function capInfo(info: AlertContent, main: AlertContent, warnings: string[]): string {
  if (!languageTag.test(info.language))
    warnings.push(`“${info.language}” is not a language tag: CAP <language> was left out.`);
  const { phrases } = phrasesFor(info.language);
  const values = infoValues(info, main, warnings);
  const cancel = main.messageType === 'cancel';
  // A Cancel says what it cancels, never the alert's own words as if they were current.
  const markers = markersFor(cancel ? { ...main, messageType: 'alert' } : main, phrases).map((m) => `${m} -`);
  const event = oneLine(info.hazard.cap.event) || oneLine(info.hazard.title) || info.hazard.code;
  const words = cancel ? phrases.cancelled.headline(event) : info.what;
  const headline = shorten(oneLine(joinParts([info.institution.prefix, ...markers, words])), 160, '…');
  const drill = main.kind === 'test' || main.kind === 'exercise' ? phrases.drillNotice[main.kind] : undefined;
  const where = sentence(info.where);
  const description = joinParts(
    [
      drill,
      cancel ? phrases.cancelled.notice : sentence(info.what),
      where && `${phrases.labels.where}: ${where}`,
    ],
    '\n',
  );
  const web = safeHttpUrl(info.links.page) ?? safeHttpUrl(info.institution.url);
  const contact = joinParts([info.institution.name, safeHttpUrl(info.institution.url)], ', ');
  const expires = info.expiresAt ?? main.expiresAt;
  const lines = [
    languageTag.test(info.language) ? element('language', info.language) : undefined,
    element('category', values.category),
    element('event', event),
    element('responseType', values.responseType),
    element('urgency', values.urgency),
    element('severity', values.severity),
    element('certainty', values.certainty),
    expires && element('expires', formatCapTime(expires, main.institution.timezone)),
    element('senderName', info.institution.name),
    element('headline', headline),
    element('description', description),
    info.actions.trim() && element('instruction', info.actions.trim()),
    web && element('web', web),
    element('contact', contact),
  ];
  const body = [
    ...lines.filter((line) => line !== undefined && line !== ''),
    ...capAreas(info.areas, warnings),
  ];
  return ['  <info>', ...body.map((line) => `    ${line}`), '  </info>'].join('\n');
}

/** The alert's header elements, from identifier to incidents. */
function capHeader(content: AlertContent, warnings: string[]): string[] {
  const { institution } = content;
  const sender = capToken(institution.senderId);
  if (sender !== institution.senderId)
    warnings.push(`The CAP sender “${institution.senderId}” was written as “${sender}”.`);
  const references = (content.references ?? []).map(
    (ref) => `${sender},${capToken(ref.identifier)},${formatCapTime(ref.sentAt, institution.timezone)}`,
  );
  if (content.messageType !== 'alert' && references.length === 0) {
    warnings.push('An update, all-clear or cancellation should reference the earlier messages of the alert.');
  }
  const drill = content.kind === 'test' || content.kind === 'exercise';
  return [
    element('identifier', capIdentifier(institution.senderId, content.id, content.sequence)),
    element('sender', sender),
    element('sent', formatCapTime(content.sentAt, institution.timezone)),
    element('status', capStatus(content.kind)),
    element('msgType', capMsgType(content.messageType)),
    element('scope', 'Public'),
    drill ? element('note', phrasesFor('en').phrases.drillNotice[content.kind as 'test' | 'exercise']) : '',
    references.length > 0 ? element('references', references.join(' ')) : '',
    element('incidents', capToken(content.id)),
  ].filter((line) => line !== '');
}

/** The CAP 1.2 document with the warnings about values that had to be adjusted. */
export function renderCapDocument(content: AlertContent, languages: AlertContent[]): CapRendering {
  const warnings = linkWarnings({ page: content.links.page });
  const others = languages.filter((info) => info.language !== content.language);
  const header = capHeader(content, warnings);
  const infos = [content, ...others].map((info) => capInfo(info, content, warnings));
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    ...header.map((line) => `  ${line}`),
    ...infos,
    '</alert>',
    '',
  ].join('\n');
  return { xml, warnings: [...new Set(warnings)] };
}

/** The CAP 1.2 XML of an alert message: one <info> per language (`languages` gives each language's content). */
export function renderCap(content: AlertContent, languages: AlertContent[]): string {
  return renderCapDocument(content, languages).xml;
}
