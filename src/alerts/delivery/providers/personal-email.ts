import type { EmailRendering } from '../../rendering/email.js';
import { phrasesFor, programName } from '../../rendering/phrases.js';
import { escapeXml } from '../../rendering/xml.js';
import type { OutgoingMessage } from '../provider.js';

const linkStyle = 'color:#0000CC;text-decoration:underline;';

/**
 * The email of one person: the shared rendering with their acknowledgement and unsubscribe links
 * appended to the text and HTML parts, in the rendering's language.
 */
export function personalEmail(
  email: Pick<EmailRendering, 'subject' | 'text' | 'html'>,
  m: Pick<OutgoingMessage, 'language' | 'acknowledgeUrl' | 'unsubscribeUrl'>,
  messagePrefix: string,
): { subject: string; text: string; html: string } {
  const { phrases } = phrasesFor(m.language);
  const links = [
    ...(m.acknowledgeUrl ? [{ label: phrases.email.acknowledge, url: m.acknowledgeUrl }] : []),
    ...(m.unsubscribeUrl
      ? [{ label: phrases.email.unsubscribe(programName(messagePrefix)), url: m.unsubscribeUrl }]
      : []),
  ];
  const text = `${email.text.replace(/\n*$/, '')}\n\n${links.map((l) => `${l.label}: ${l.url}`).join('\n')}\n`;
  const paragraphs = links
    .map(
      (l) =>
        `<p style="margin:16px 0 0;font-size:18px;"><a href="${escapeXml(l.url)}" style="${linkStyle}">${escapeXml(l.label)}</a></p>`,
    )
    .join('\n');
  const end = email.html.lastIndexOf('</div>');
  const html =
    end >= 0
      ? `${email.html.slice(0, end)}${paragraphs}\n${email.html.slice(end)}`
      : `${email.html}\n${paragraphs}`;
  return { subject: email.subject, text, html };
}
