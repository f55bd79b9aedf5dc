import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { AppContext } from '../../../platform/context.js';
import type { SmtpSettings } from '../../../platform/delivery-settings.js';
import { programName } from '../../rendering/phrases.js';
import type { DeliveryProvider, MessageRenderings, OutgoingMessage, SendOutcome } from '../provider.js';
import { forEachLimited, notSent, outcomeReporter } from './outcome-reporter.js';
import { personalEmail } from './personal-email.js';
import { smtpConnections } from './smtp-connections.js';
import { deliveryIdsHeader, envelopesOf, type EmailEnvelope } from './smtp-envelopes.js';
import { personalMessages, type BuiltMessage } from './smtp-personal-messages.js';

/** What nodemailer puts on an SMTP error. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

/** Why a recipient or a message failed, as last_error says it. */
const wording = (e: SmtpError) =>
  `SMTP ${e.responseCode ?? e.code ?? 'error'}: ${e.response ?? e.message ?? 'no answer'}`;

/**
 * Classify an SMTP failure: a 5xx reply to the recipient or the message is permanent; 4xx,
 * timeouts, dropped connections and refused credentials (the relay's configuration, not the
 * message) are retryable.
 */
function smtpFailure(deliveryId: string, e: SmtpError): SendOutcome {
  const code = e.responseCode ? String(e.responseCode) : (e.code ?? 'smtp');
  const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.code !== 'EAUTH';
  return permanent
    ? { deliveryId, kind: 'permanent', error: wording(e), code }
    : { deliveryId, kind: 'retryable', error: wording(e), code };
}

/** The From header: as configured when it names someone, else the alert programme's name. */
function fromAddress(settings: SmtpSettings, messagePrefix: string) {
  if (settings.from.includes('<')) return settings.from;
  return { name: programName(messagePrefix), address: settings.from };
}

/**
 * SMTP over pooled connections (smtp-connections), messages built by nodemailer. Identical content (same language, no personal link)
 * goes once to up to `recipientsPerMessage` recipients, Bcc (To: undisclosed-recipients), with
 * `X-Tocsin-Delivery-Ids` in RCPT TO order; an email with an acknowledgement or unsubscribe link
 * goes to its one recipient, the links appended, with one-click List-Unsubscribe: built once per
 * batch, language and set of links, the recipient's own parts spliced in (smtp-personal-messages).
 * Recipients the server refuses are failed one by one (5xx permanent, 4xx retryable).
 */
export function smtpProvider(
  ctx: Pick<AppContext, 'profile' | 'log'>,
  settings: SmtpSettings,
): DeliveryProvider {
  const connections = smtpConnections(settings);
  const prefix = ctx.profile.institution.messagePrefix;
  const from = fromAddress(settings, prefix);
  const envelopeFrom = typeof from === 'string' ? (/<([^>]+)>/.exec(from)?.[1] ?? from) : from.address;
  // Message-IDs are made at the sender's domain, as nodemailer makes them.
  const domain = envelopeFrom.split('@').pop()!;

  /** A shared message: everyone in the envelope, Bcc (To names no one). */
  function sharedMail(envelope: EmailEnvelope, renderings: MessageRenderings): Mail.Options {
    const email = renderings.email(envelope.language);
    return {
      from,
      // An empty group: the header names no one; the recipients are only in the envelope (Bcc).
      to: 'undisclosed-recipients:;',
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { 'X-Tocsin-Delivery-Ids': { prepared: true, value: deliveryIdsHeader(envelope.messages) } },
    };
  }

  /** One person's message composed whole by nodemailer: for what the spliced message does not take. */
  function composedPersonalMail(m: OutgoingMessage, renderings: MessageRenderings): Mail.Options {
    const unsubscribe = m.unsubscribeUrl
      ? { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {};
    return {
      from,
      to: m.address,
      ...personalEmail(renderings.email(m.language), m, prefix),
      headers: { 'X-Tocsin-Delivery-Id': m.deliveryId, ...unsubscribe },
    };
  }

  async function composed(mail: Mail.Options): Promise<BuiltMessage> {
    const node = new MailComposer(mail).compile();
    return { raw: await node.build(), messageId: node.messageId() };
  }

  /** The bytes of one envelope's message and its Message-ID: spliced when personal, else composed. */
  async function messageOf(
    envelope: EmailEnvelope,
    renderings: MessageRenderings,
    personal: (m: OutgoingMessage) => Promise<BuiltMessage | null>,
  ): Promise<BuiltMessage> {
    if (!envelope.personal) return composed(sharedMail(envelope, renderings));
    const m = envelope.messages[0]!;
    const spliced = await personal(m).catch((error: unknown) => {
      // A template that cannot be built is a bug, not the recipient's fault: send them the whole message.
      ctx.log.warn(
        { err: error, deliveryId: m.deliveryId },
        'personal email template failed; composing whole',
      );
      return null;
    });
    return spliced ?? composed(composedPersonalMail(m, renderings));
  }

  async function sendEnvelope(
    envelope: EmailEnvelope,
    renderings: MessageRenderings,
    personal: (m: OutgoingMessage) => Promise<BuiltMessage | null>,
  ): Promise<SendOutcome[]> {
    try {
      const { raw, messageId } = await messageOf(envelope, renderings, personal);
      const to = envelope.messages.map((m) => m.address);
      const info = await connections.send({ from: envelopeFrom, to }, raw);
      const refused = new Map(
        ((info.rejectedErrors ?? []) as SmtpError[]).map((e) => [String(e.recipient).toLowerCase(), e]),
      );
      return envelope.messages.map((m) => {
        const error = refused.get(m.address.toLowerCase());
        if (error) return smtpFailure(m.deliveryId, error);
        return { deliveryId: m.deliveryId, kind: 'accepted', providerMessageId: messageId };
      });
    } catch (caught) {
      const e = caught as SmtpError;
      const perRecipient = new Map(
        (e.rejectedErrors ?? []).map((r) => [String(r.recipient).toLowerCase(), r]),
      );
      return envelope.messages.map((m) =>
        smtpFailure(m.deliveryId, perRecipient.get(m.address.toLowerCase()) ?? e),
      );
    }
  }

  return {
    name: settings.name,
    channels: settings.channels,
    async send(batch, renderings, report, signal) {
      const reporter = outcomeReporter(report);
      // Built once per language and set of links for the batch, then spliced per recipient.
      const personal = personalMessages({ from, domain, messagePrefix: prefix, email: renderings.email });
      await forEachLimited(
        envelopesOf(batch, settings.recipientsPerMessage),
        settings.maxConnections,
        signal,
        async (envelope) => {
          for (const outcome of await sendEnvelope(envelope, renderings, personal)) reporter.add(outcome);
        },
        (envelope) => envelope.messages.forEach((m) => reporter.add(notSent(m.deliveryId))),
      );
      reporter.flush();
    },
    async close() {
      connections.close();
    },
  };
}
