import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import pino from 'pino';
import PostalMime, { type Email } from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../../test/support/system.js';
import type { SmtpSettings } from '../../../platform/delivery-settings.js';
import { loadConfig } from '../../../platform/config.js';
import { verifyLinkToken } from '../../../platform/link-tokens.js';
import { acknowledgementUrls } from '../../replies/acknowledgement-links.js';
import { unsubscribeUrls } from '../../self-registration/unsubscribe-links.js';
import type { MessageRenderings, OutgoingMessage } from '../provider.js';
import { personalEmail } from './personal-email.js';
import { never, outcomeLog, outgoing, testRenderings } from './providers.test-support.js';
import { startCapture } from './smtp-capture.test-support.js';
import { personalMessages } from './smtp-personal-messages.js';
import { smtpProvider } from './smtp-provider.js';

const from = { name: 'MIT Alert', address: 'alerts@mit.edu' };
const prefix = 'MIT Alert:';
// Non-ASCII text and long HTML lines: the parts are quoted-printable with soft line breaks.
const renderings = testRenderings({
  what: 'Fuga de gas — evacúen el edificio 10 ✋ ahora',
  where: 'W20 Stratton',
});

/** What nodemailer builds for this one person alone: the meaning every spliced message must have. */
async function composedAlone(m: OutgoingMessage, r: MessageRenderings): Promise<Email> {
  const unsubscribe = m.unsubscribeUrl
    ? { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  const raw = await new MailComposer({
    from,
    to: m.address,
    ...personalEmail(r.email(m.language), m, prefix),
    headers: { 'X-Tocsin-Delivery-Id': m.deliveryId, ...unsubscribe },
  })
    .compile()
    .build();
  return PostalMime.parse(raw);
}

/** A parsed email less what differs between two builds of one message (Message-ID, Date, boundary). */
function meaning(email: Email) {
  const header = (name: string) => email.headers.filter((h) => h.key === name).map((h) => h.value);
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments,
    deliveryId: header('x-tocsin-delivery-id'),
    listUnsubscribe: header('list-unsubscribe'),
    listUnsubscribePost: header('list-unsubscribe-post'),
    mimeVersion: header('mime-version'),
    messageIds: header('message-id').length,
  };
}

/**
 * Lines within the limits: CRLF only, SMTP's 998 characters (a link in List-Unsubscribe cannot be
 * folded), quoted-printable's 76 in the body.
 */
function expectValidLines(raw: string) {
  expect(raw).not.toMatch(/[^\r]\n|\r[^\n]/);
  for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  const body = raw.slice(raw.indexOf('\r\n\r\n'));
  for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
}

describe('personal emails built once and spliced', () => {
  it('splices links of any length and character into valid lines that mean what nodemailer builds', async () => {
    const build = personalMessages({
      from,
      domain: 'mit.edu',
      messagePrefix: prefix,
      email: renderings.email,
    });
    for (let length = 1; length <= 160; length += 7) {
      const tail = 'a=b&c<d>'.repeat(20).slice(0, length);
      for (const language of ['en', 'es']) {
        const m = outgoing('email', `person${length}@example.edu`, {
          language,
          acknowledgeUrl: `https://tocsin.mit.edu/ack/${tail}`,
          unsubscribeUrl: length % 2 ? `https://tocsin.mit.edu/unsubscribe/${tail}` : null,
        });
        const spliced = (await build(m))!;
        const raw = spliced.raw.toString('latin1');
        expectValidLines(raw);
        const parsed = await PostalMime.parse(spliced.raw);
        expect(meaning(parsed)).toEqual(meaning(await composedAlone(m, renderings)));
        expect(parsed.messageId).toBe(spliced.messageId);
      }
    }
  });

  it('leaves addresses and links that are not plain ASCII to nodemailer', async () => {
    const build = personalMessages({
      from,
      domain: 'mit.edu',
      messagePrefix: prefix,
      email: renderings.email,
    });
    const ack = 'https://tocsin.mit.edu/ack/tok';
    expect(await build(outgoing('email', 'josé@example.edu', { acknowledgeUrl: ack }))).toBeNull();
    expect(await build(outgoing('email', '"j s"@example.edu', { acknowledgeUrl: ack }))).toBeNull();
    expect(await build(outgoing('email', 'a@example.edu', { acknowledgeUrl: `${ack} x` }))).toBeNull();
    expect(await build(outgoing('email', 'a@example.edu', { acknowledgeUrl: ack }))).not.toBeNull();
  });
});

describe('personal emails through a real SMTP server', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ serve: false, env: { TOCSIN_PUBLIC_URL: 'https://tocsin.mit.edu' } });
  });
  afterAll(async () => {
    await system?.close();
  });

  it('gives two people the same email with their own working links and Message-IDs', async () => {
    const capture = await startCapture();
    const config = loadConfig({
      TOCSIN_SMTP_HOST: '127.0.0.1',
      TOCSIN_SMTP_PORT: String(capture.port),
      TOCSIN_SMTP_FROM: 'alerts@mit.edu',
    });
    const settings = config.delivery.providers.find((p): p is SmtpSettings => p.type === 'smtp')!;
    const smtp = smtpProvider({ profile: system.ctx.profile, log: pino({ level: 'silent' }) }, settings);
    try {
      const [ann, bob] = [outgoing('email', 'ann@example.edu'), outgoing('email', 'bob@example.org')];
      const contacts = ['7d7a3f5e-2b8c-4e61-9f0a-1c2d3e4f5a6b', '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'];
      const acks = await acknowledgementUrls(system.ctx, [ann.deliveryId, bob.deliveryId]);
      const unsubscribes = await unsubscribeUrls(system.ctx, contacts);
      const batch = [ann, bob].map((m, i) => ({
        ...m,
        acknowledgeUrl: acks[i]!,
        unsubscribeUrl: unsubscribes.get(contacts[i]!)!,
      }));
      const log = outcomeLog();
      await smtp.send(batch, renderings, log.report, never);
      expect(log.kinds()).toEqual({ accepted: 2 });

      const received = batch.map((m) => capture.received.find((r) => r.to[0] === m.address)!);
      const parsed = await Promise.all(received.map((r) => PostalMime.parse(r.raw)));
      for (const [i, m] of batch.entries()) {
        expectValidLines(received[i]!.raw);
        expect(meaning(parsed[i]!)).toEqual(meaning(await composedAlone(m, renderings)));
        expect(log.of(m.deliveryId)).toMatchObject({ providerMessageId: parsed[i]!.messageId });
        // The links verify with the product's own verifier, each to its recipient.
        const ackToken = /\/ack\/([\w.-]+)/.exec(parsed[i]!.text!)![1]!;
        const htmlAckToken = /href="[^"]*\/ack\/([\w.-]+)"/.exec(parsed[i]!.html!)![1]!;
        const unsubToken = /\/unsubscribe\/([\w.-]+)/.exec(parsed[i]!.text!)![1]!;
        expect(htmlAckToken).toBe(ackToken);
        expect(await verifyLinkToken(system.ctx.db, 'acknowledge', ackToken)).toBe(m.deliveryId);
        expect(await verifyLinkToken(system.ctx.db, 'unsubscribe', unsubToken)).toBe(contacts[i]);
      }
      expect(parsed[0]!.messageId).not.toBe(parsed[1]!.messageId);
      expect(parsed[0]!.messageId).toMatch(/^<[\w-]+@mit\.edu>$/);
      // Everything else is the same: with each one's links taken out, the parts are equal.
      const without = (s: string, m: OutgoingMessage) =>
        s.replaceAll(m.acknowledgeUrl!, 'ACK').replaceAll(m.unsubscribeUrl!, 'UNSUBSCRIBE');
      expect(without(parsed[0]!.text!, batch[0]!)).toBe(without(parsed[1]!.text!, batch[1]!));
      expect(without(parsed[0]!.html!, batch[0]!)).toBe(without(parsed[1]!.html!, batch[1]!));
      expect(parsed[0]!.subject).toBe(parsed[1]!.subject);
    } finally {
      await smtp.close?.();
      await capture.close();
    }
  });
});
