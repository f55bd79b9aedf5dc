import type { AlertContent } from './alert-content.js';
import { levelColors, levelFor } from './level.js';
import { fallbackWarning, markersFor, phrasesFor, programName, type Phrases } from './phrases.js';
import { joinParts, linkWarnings, oneLine, safeHttpUrl, shorten } from './text.js';
import { formatLocalTime } from './time.js';
import { escapeXml } from './xml.js';

/** An email: subject, plain-text part and accessible HTML part. */
export interface EmailRendering {
  subject: string;
  text: string;
  html: string;
  warnings: string[];
}

const rightToLeft = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'dv', 'ckb']);
const linkColor = '#0000CC';

interface EmailModel {
  subject: string;
  drillNotice?: string;
  sections: Array<{ heading: string; text: string }>;
  links: Array<{ label: string; url: string }>;
  times: string[];
  sentBy: string;
  unsubscribe?: { label: string; url: string };
}

/** The email's content once, shared by the text and HTML parts. */
function emailModel(content: AlertContent, phrases: Phrases): EmailModel {
  const { institution, links } = content;
  const markers = markersFor(content, phrases).map((marker) => `[${marker}]`);
  // One line: a newline in a subject would let template text inject mail headers.
  const subject = oneLine(joinParts([institution.prefix, ...markers, shorten(oneLine(content.what), 120)]));
  const drill =
    content.kind === 'test' || content.kind === 'exercise' ? phrases.drillNotice[content.kind] : undefined;
  const page = safeHttpUrl(links.page);
  const acknowledge = safeHttpUrl(links.acknowledge);
  const unsubscribe = safeHttpUrl(links.unsubscribe);
  const time = (date: Date) => formatLocalTime(date, institution.timezone, content.language);
  return {
    subject,
    drillNotice: drill,
    sections: [
      { heading: phrases.labels.what, text: content.what.trim() },
      { heading: phrases.labels.where, text: content.where.trim() },
      { heading: phrases.labels.actions, text: content.actions.trim() },
    ].filter((section) => section.text !== ''),
    links: [
      ...(acknowledge ? [{ label: phrases.email.acknowledge, url: acknowledge }] : []),
      ...(page ? [{ label: phrases.labels.more, url: page }] : []),
    ],
    times: [
      `${phrases.labels.sent}: ${time(content.sentAt)}`,
      ...(content.expiresAt ? [`${phrases.labels.expires}: ${time(content.expiresAt)}`] : []),
    ],
    sentBy: joinParts([`${phrases.email.sentBy} ${institution.name}`, safeHttpUrl(institution.url)], ', '),
    unsubscribe: unsubscribe
      ? { label: phrases.email.unsubscribe(programName(institution.prefix)), url: unsubscribe }
      : undefined,
  };
}

/** The plain-text part. */
function emailText(model: EmailModel): string {
  const blocks = [
    model.subject,
    model.drillNotice?.toUpperCase(),
    ...model.sections.map((section) => `${section.heading}:\n${section.text}`),
    model.links.map((link) => `${link.label}: ${link.url}`).join('\n'),
    model.times.join('\n'),
    model.drillNotice?.toUpperCase(),
    joinParts(
      ['--', model.sentBy, model.unsubscribe && `${model.unsubscribe.label}: ${model.unsubscribe.url}`],
      '\n',
    ),
  ];
  return `${joinParts(blocks, '\n\n')}\n`;
}

/** Escaped text with its line breaks kept. */
function htmlLines(text: string): string {
  return text
    .split(/\r?\n/u)
    .map((line) => escapeXml(line.trim()))
    .join('<br>');
}

const anchor = (link: { label: string; url: string }) =>
  `<a href="${escapeXml(link.url)}" style="color:${linkColor};text-decoration:underline;">${escapeXml(link.label)}</a>`;

/** The HTML part: headings, high-contrast inline styles, no images or external resources. */
function emailHtml(model: EmailModel, content: AlertContent): string {
  const colors = levelColors[levelFor(content)];
  const lang = escapeXml(content.language);
  const dir = rightToLeft.has(content.language.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
  const notice = model.drillNotice
    ? `<p style="margin:0 0 16px;padding:12px;border:3px solid #000000;font-weight:bold;">${escapeXml(model.drillNotice)}</p>`
    : '';
  const sections = model.sections
    .map(
      (section) =>
        `<h2 style="margin:24px 0 4px;font-size:20px;">${escapeXml(section.heading)}</h2>\n<p style="margin:0;">${htmlLines(section.text)}</p>`,
    )
    .join('\n');
  const links = model.links.map((link) => `<p style="margin:16px 0 0;">${anchor(link)}</p>`).join('\n');
  const footer = [
    `<p style="margin:0;font-size:16px;">${model.times.map(escapeXml).join('<br>')}</p>`,
    `<p style="margin:8px 0 0;font-size:16px;">${escapeXml(model.sentBy)}</p>`,
    model.unsubscribe ? `<p style="margin:8px 0 0;font-size:16px;">${anchor(model.unsubscribe)}</p>` : '',
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(model.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#FFFFFF;color:#000000;font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:1.5;">
<div style="max-width:640px;margin:0 auto;padding:16px;">
<h1 style="margin:0 0 16px;padding:16px;background-color:${colors.background};color:${colors.foreground};font-size:26px;line-height:1.3;">${escapeXml(model.subject)}</h1>
${notice}
${sections}
${links}
${notice}
<hr style="margin:24px 0 16px;border:0;border-top:1px solid #000000;">
${footer}
</div>
</body>
</html>
`;
}

/** The email for an alert: subject with prefix and [TEST]/[EXERCISE]/[UPDATE] markers, text and HTML parts. */
export function renderEmail(content: AlertContent): EmailRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const model = emailModel(content, phrases);
  const warnings = linkWarnings({
    page: content.links.page,
    acknowledge: content.links.acknowledge,
    unsubscribe: content.links.unsubscribe,
  });
  if (fallback) warnings.push(fallbackWarning(content.language));
  return { subject: model.subject, text: emailText(model), html: emailHtml(model, content), warnings };
}
