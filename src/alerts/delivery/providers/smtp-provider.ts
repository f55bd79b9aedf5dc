import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { AppContext } from '../../../platform/context.js';
import type { SmtpSettings } from '../../../platform/delivery-settings.js';
import { programName } from '../../rendering/phrases.js';
import type { DeliveryProvider, MessageRenderings, SendOutcome } from '../provider.js';
import { forEachLimited, notSent, outcomeReporter } from './outcome-reporter.js';
import { personalEmail } from './personal-email.js';
import { deliveryIdsHeader, envelopesOf, type EmailEnvelope } from './smtp-envelopes.js';

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
 * SMTP through a pooled nodemailer transport. Identical content (same language, no personal link)
 * goes once to up to `recipientsPerMessage` recipients, Bcc (To: undisclosed-recipients), with
 * `X-Tocsin-Delivery-Ids` in RCPT TO order; an email with an acknowledgement or unsubscribe link
 * goes to its one recipient, the links appended, with one-click List-Unsubscribe. Recipients the
 * server refuses are failed one by one (5xx permanent, 4xx retryable).
 */
export function smtpProvider(
  ctx: Pick<AppContext, 'profile' | 'log'>,
  settings: SmtpSettings,
): DeliveryProvider {
  const transport = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    maxConnections: settings.maxConnections,
    maxMessages: 1_000,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  } satisfies SMTPPool.Options);
  const prefix = ctx.profile.institution.messagePrefix;
  const from = fromAddress(settings, prefix);
  const envelopeFrom = typeof from === 'string' ? (/<([^>]+)>/.exec(from)?.[1] ?? from) : from.address;

  function mailOf(envelope: EmailEnvelope, renderings: MessageRenderings) {
    const email = renderings.email(envelope.language);
    const to = envelope.messages.map((m) => m.address);
    if (!envelope.personal) {
      return {
        from,
        // An empty group: the header names no one; the recipients are only in the envelope (Bcc).
        to: 'undisclosed-recipients:;',
        envelope: { from: envelopeFrom, to },
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: { 'X-Tocsin-Delivery-Ids': { prepared: true, value: deliveryIdsHeader(envelope.messages) } },
      };
    }
    const m = envelope.messages[0]!;
    const unsubscribe = m.unsubscribeUrl
      ? { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {};
    return {
      from,
      to: m.address,
      ...personalEmail(email, m, prefix),
      headers: { 'X-Tocsin-Delivery-Id': m.deliveryId, ...unsubscribe },
    };
  }

  async function sendEnvelope(
    envelope: EmailEnvelope,
    renderings: MessageRenderings,
  ): Promise<SendOutcome[]> {
    try {
      const info = (await transport.sendMail(mailOf(envelope, renderings))) as SMTPPool.SentMessageInfo & {
        rejectedErrors?: SmtpError[];
      };
      const refused = new Map((info.rejectedErrors ?? []).map((e) => [String(e.recipient).toLowerCase(), e]));
      return envelope.messages.map((m) => {
        const error = refused.get(m.address.toLowerCase());
        if (error) return smtpFailure(m.deliveryId, error);
        return { deliveryId: m.deliveryId, kind: 'accepted', providerMessageId: info.messageId };
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
      await forEachLimited(
        envelopesOf(batch, settings.recipientsPerMessage),
        settings.maxConnections,
        signal,
        async (envelope) => {
          for (const outcome of await sendEnvelope(envelope, renderings)) reporter.add(outcome);
        },
        (envelope) => envelope.messages.forEach((m) => reporter.add(notSent(m.deliveryId))),
      );
      reporter.flush();
    },
    async close() {
      transport.close();
    },
  };
}
