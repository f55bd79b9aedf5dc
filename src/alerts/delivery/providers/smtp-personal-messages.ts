import { randomBytes, randomUUID } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp/index.js';
import type { EmailRendering } from '../../rendering/email.js';
import { escapeXml } from '../../rendering/xml.js';
import type { OutgoingMessage } from '../provider.js';
import { personalEmail } from './personal-email.js';

/** One message's bytes, ready for DATA, and its Message-ID. */
export interface BuiltMessage {
  raw: Buffer;
  messageId: string;
}

type Link = 'acknowledgeUrl' | 'unsubscribeUrl';

/** A part's quoted-printable text around its links: `segments[i]`, link `links[i]`, …, the last segment. */
interface EncodedPart {
  segments: string[];
  links: Link[];
}

/** What every recipient of one language and set of links shares, encoded once. */
interface Template {
  /** The header block and parts, split where the Message-ID, text part and HTML part go. */
  beforeMessageId: string;
  beforeText: string;
  beforeHtml: string;
  afterHtml: string;
  text: EncodedPart;
  html: EncodedPart;
}

// Lines of quoted-printable stay within 76 characters with the "=" of a soft line break, so
// everything is wrapped at 75 and joined with "=\r\n": the decoded text is the plain concatenation.
const qp = (s: string) => qpWrap(qpEncode(s.replace(/\r?\n/g, '\r\n')), 75);
const softBreak = '=\r\n';
// An address spliced into `To:` as it is: a dot-atom at an ASCII domain (others go through nodemailer).
const plainAddress = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9.-]+$/;
// A link spliced into a header line: printable ASCII, short enough for SMTP's 998-character lines.
const plainLink = /^[\x21-\x7e]{1,900}$/;

/** Split `text` at each placeholder (in the order they appear) and encode the pieces. */
function encodePart(text: string, placeholders: ReadonlyMap<string, Link>): EncodedPart {
  const pattern = new RegExp([...placeholders.keys()].join('|'), 'g');
  const links: Link[] = [];
  const pieces = text.split(pattern);
  for (const match of text.matchAll(pattern)) links.push(placeholders.get(match[0])!);
  return { segments: pieces.map(qp), links };
}

function splitOnce(whole: string, marker: string): [string, string] {
  const at = whole.indexOf(marker);
  if (at < 0 || whole.indexOf(marker, at + 1) >= 0)
    throw new Error(`personal email: ${marker} not found once`);
  return [whole.slice(0, at), whole.slice(at + marker.length)];
}

/**
 * Build the shared message once with nodemailer: From and Subject encoded, the Date, the
 * multipart/alternative structure; the parts' content and the Message-ID are placeholders.
 */
async function buildTemplate(
  base: Pick<Mail.Options, 'from'>,
  domain: string,
  email: Pick<EmailRendering, 'subject' | 'text' | 'html'>,
  m: Pick<OutgoingMessage, 'language' | 'acknowledgeUrl' | 'unsubscribeUrl'>,
  messagePrefix: string,
): Promise<Template> {
  const nonce = randomBytes(12).toString('hex');
  const marker = (name: string) => `tocsin${name}${nonce}`;
  const placeholders = new Map<string, Link>();
  if (m.acknowledgeUrl) placeholders.set(marker('ack'), 'acknowledgeUrl');
  if (m.unsubscribeUrl) placeholders.set(marker('unsub'), 'unsubscribeUrl');
  const withPlaceholders = personalEmail(
    email,
    {
      language: m.language,
      acknowledgeUrl: m.acknowledgeUrl ? marker('ack') : null,
      unsubscribeUrl: m.unsubscribeUrl ? marker('unsub') : null,
    },
    messagePrefix,
  );
  const skeleton = await new MailComposer({
    ...base,
    subject: withPlaceholders.subject,
    text: marker('text'),
    html: marker('html'),
    encoding: 'quoted-printable',
    messageId: `<${marker('mid')}@${domain}>`,
  })
    .compile()
    .build();
  const whole = skeleton.toString('latin1');
  const [beforeMessageId, rest] = splitOnce(whole, `<${marker('mid')}@${domain}>`);
  const [beforeText, afterText] = splitOnce(rest, marker('text'));
  const [beforeHtml, afterHtml] = splitOnce(afterText, marker('html'));
  const quotedPrintable = /Content-Transfer-Encoding: quoted-printable\r\n\r\n$/;
  if (!quotedPrintable.test(beforeText) || !quotedPrintable.test(beforeHtml))
    throw new Error('personal email: a part is not quoted-printable');
  return {
    beforeMessageId,
    beforeText,
    beforeHtml,
    afterHtml,
    text: encodePart(withPlaceholders.text, placeholders),
    html: encodePart(withPlaceholders.html, placeholders),
  };
}

/** A part's encoded text with these links in it; the last segment keeps the part's final line break. */
function fill(part: EncodedPart, links: Record<Link, string>): string {
  let out = part.segments[0]!;
  part.links.forEach((link, i) => {
    out += softBreak + links[link] + softBreak + part.segments[i + 1]!;
  });
  return out;
}

/** One-click unsubscribe (RFC 8058), the link on a folded line of its own when the line would pass 78 characters. */
function listUnsubscribe(url: string): string {
  const fold = url.length + 20 > 78 ? '\r\n ' : ' ';
  return `List-Unsubscribe:${fold}<${url}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n`;
}

/**
 * Personal emails (acknowledgement and unsubscribe links) made by splicing: the message of each
 * language and set of links is built and encoded once, and each recipient's bytes are that
 * message with their To, X-Tocsin-Delivery-Id, Message-ID, List-Unsubscribe and links put in.
 * What a recipient receives means exactly what nodemailer would build for them alone. Null when a
 * recipient's address or link is not plain ASCII: the caller builds that one whole.
 */
export function personalMessages(options: {
  from: Mail.Options['from'];
  domain: string;
  messagePrefix: string;
  email: (language: string) => Pick<EmailRendering, 'subject' | 'text' | 'html'>;
}) {
  const templates = new Map<string, Promise<Template>>();
  const templateFor = (m: OutgoingMessage) => {
    const key = `${m.language}\n${m.acknowledgeUrl ? 'a' : ''}${m.unsubscribeUrl ? 'u' : ''}`;
    let template = templates.get(key);
    if (!template) {
      template = buildTemplate(
        { from: options.from },
        options.domain,
        options.email(m.language),
        m,
        options.messagePrefix,
      );
      templates.set(key, template);
    }
    return template;
  };
  return async (m: OutgoingMessage): Promise<BuiltMessage | null> => {
    const urls = [m.acknowledgeUrl, m.unsubscribeUrl].filter((u): u is string => u !== null);
    if (!plainAddress.test(m.address) || !urls.every((u) => plainLink.test(u))) return null;
    const template = await templateFor(m);
    const qpLink = (url: string | null) => (url ? qpWrap(qpEncode(url), 75) : '');
    const qpHtmlLink = (url: string | null) => (url ? qpWrap(qpEncode(escapeXml(url)), 75) : '');
    const messageId = `<${randomUUID()}@${options.domain}>`;
    const headers =
      `To: ${m.address}\r\nX-Tocsin-Delivery-Id: ${m.deliveryId}\r\n` +
      (m.unsubscribeUrl ? listUnsubscribe(m.unsubscribeUrl) : '');
    const raw =
      headers +
      template.beforeMessageId +
      messageId +
      template.beforeText +
      fill(template.text, {
        acknowledgeUrl: qpLink(m.acknowledgeUrl),
        unsubscribeUrl: qpLink(m.unsubscribeUrl),
      }) +
      template.beforeHtml +
      fill(template.html, {
        acknowledgeUrl: qpHtmlLink(m.acknowledgeUrl),
        unsubscribeUrl: qpHtmlLink(m.unsubscribeUrl),
      }) +
      template.afterHtml;
    return { raw: Buffer.from(raw, 'latin1'), messageId };
  };
}
