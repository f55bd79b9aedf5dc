import PostalMime from 'postal-mime';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import type { SmtpSettings } from '../../../platform/delivery-settings.js';
import { loadProfile } from '../../../app/profile.js';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import type { DeliveryProvider, OutgoingMessage } from '../provider.js';
import { never, outcomeLog, outgoing, testRenderings } from './providers.test-support.js';
import { startCapture } from './smtp-capture.test-support.js';
import { smtpProvider } from './smtp-provider.js';

const profile = loadProfile(loadConfig({}).profilePath);
let sim: Simulator;
const open: DeliveryProvider[] = [];
const emails = (n: number, language = 'en') =>
  Array.from({ length: n }, (_, i) => outgoing('email', `person${i}.${language}@example.edu`, { language }));

beforeAll(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close?.()));
  sim.setFaults({ email: { errorRate: 0, timeoutRate: 0, outages: [] } });
  sim.reset();
});
afterAll(async () => {
  await sim.stop();
});

function provider(env: Record<string, string> = {}) {
  const config = loadConfig({ ...sim.environment, TOCSIN_SMTP_FROM: 'alerts@mit.edu', ...env });
  const settings = config.delivery.providers.find((p) => p.type === 'smtp') as SmtpSettings;
  const built = smtpProvider({ profile, log: pino({ level: 'silent' }) }, settings);
  open.push(built);
  return built;
}

describe('SMTP provider', () => {
  it('sends identical content once per 50 recipients, the delivery ids in RCPT order', async () => {
    const smtp = provider();
    const batch = emails(120);
    const log = outcomeLog();
    await smtp.send(batch, testRenderings(), log.report, never);
    expect(log.kinds()).toEqual({ accepted: 120 });
    const stats = sim.stats().channels.email;
    expect(stats.counts).toEqual({ messages: 3 });
    expect(stats.accepted).toBe(120);
    expect(stats.uniqueDeliveryIds).toBe(120);
    expect(stats.duplicates).toBe(0);
    for (const m of batch.slice(0, 60)) {
      const [stored] = sim.messages({ channel: 'email', deliveryId: m.deliveryId });
      expect(stored).toMatchObject({ to: m.address, subject: testRenderings().email('en').subject });
    }
    expect(sim.messages({ channel: 'email', deliveryId: batch[0]!.deliveryId })[0]!.details).toMatchObject({
      recipients: 50,
    });
  });

  it('sends each language its own message, and two people sharing a mailbox two', async () => {
    const smtp = provider();
    const shared = outgoing('email', 'family@example.edu');
    const batch = [...emails(3, 'en'), ...emails(2, 'es'), shared, outgoing('email', 'FAMILY@example.edu')];
    const log = outcomeLog();
    await smtp.send(batch, testRenderings(), log.report, never);
    expect(log.kinds()).toEqual({ accepted: 7 });
    expect(sim.stats().channels.email.counts).toEqual({ messages: 3 });
    expect(sim.stats().channels.email.uniqueDeliveryIds).toBe(7);
  });

  it('sends email with personal links one by one: links appended, one-click unsubscribe', async () => {
    const capture = await startCapture({});
    try {
      const smtp = provider({ TOCSIN_SMTP_PORT: String(capture.port) });
      const ack = outgoing('email', 'ack@example.edu', { acknowledgeUrl: 'https://tocsin.mit.edu/ack/tok1' });
      const unsub = outgoing('email', 'neighbour@example.org', {
        unsubscribeUrl: 'https://tocsin.mit.edu/unsubscribe/tok2',
      });
      const log = outcomeLog();
      await smtp.send([ack, unsub, ...emails(2)], testRenderings(), log.report, never);
      expect(log.kinds()).toEqual({ accepted: 4 });
      expect(capture.received.map((r) => r.to.length).sort()).toEqual([1, 1, 2]);
      const ackMail = capture.received.find((r) => r.to[0] === 'ack@example.edu')!.raw;
      expect(ackMail).toMatch(new RegExp(`^X-Tocsin-Delivery-Id: ${ack.deliveryId}`, 'im'));
      expect(ackMail).toMatch(/^To: ack@example\.edu/m);
      const ackParsed = await PostalMime.parse(ackMail);
      expect(ackParsed.text).toContain(
        'Confirm that you received this alert: https://tocsin.mit.edu/ack/tok1',
      );
      expect(ackParsed.html).toContain('href="https://tocsin.mit.edu/ack/tok1"');
      expect(ackMail).not.toMatch(/List-Unsubscribe/);
      const unsubMail = capture.received.find((r) => r.to[0] === 'neighbour@example.org')!.raw;
      const unsubParsed = await PostalMime.parse(unsubMail);
      const header = (name: string) => unsubParsed.headers.find((h) => h.key === name)?.value;
      expect(header('list-unsubscribe')).toBe('<https://tocsin.mit.edu/unsubscribe/tok2>');
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(unsubParsed.text).toContain(
        'Unsubscribe from MIT Alert emails: https://tocsin.mit.edu/unsubscribe/tok2',
      );
      const shared = capture.received.find((r) => r.to.length === 2)!.raw;
      expect(shared).toMatch(/^To: "undisclosed-recipients":;/m);
      expect(shared).toMatch(/^From: MIT Alert <alerts@mit\.edu>/m);
      expect(shared).not.toContain('@example.edu');
    } finally {
      await capture.close();
    }
  });

  it('fails refused recipients one by one: 5xx permanent, 4xx retryable, the rest accepted', async () => {
    const capture = await startCapture({
      'gone@example.edu': [550, 'No such user'],
      'full@example.edu': [452, 'Mailbox full'],
    });
    try {
      const smtp = provider({ TOCSIN_SMTP_PORT: String(capture.port) });
      const gone = outgoing('email', 'gone@example.edu');
      const full = outgoing('email', 'full@example.edu');
      const fine = outgoing('email', 'fine@example.edu');
      const log = outcomeLog();
      await smtp.send([gone, full, fine], testRenderings(), log.report, never);
      expect(log.of(gone.deliveryId)).toMatchObject({ kind: 'permanent', code: '550' });
      expect(log.of(gone.deliveryId)).toMatchObject({ error: expect.stringContaining('No such user') });
      expect(log.of(full.deliveryId)).toMatchObject({ kind: 'retryable', code: '452' });
      expect(log.of(fine.deliveryId)).toMatchObject({ kind: 'accepted' });
      expect(capture.received).toEqual([expect.objectContaining({ to: ['fine@example.edu'] })]);
      const alone: OutgoingMessage[] = [outgoing('email', 'gone@example.edu')];
      const all = outcomeLog();
      await smtp.send(alone, testRenderings(), all.report, never);
      expect(all.outcomes).toEqual([expect.objectContaining({ kind: 'permanent', code: '550' })]);
    } finally {
      await capture.close();
    }
  });

  it('replaces a connection the relay closed while it was idle', async () => {
    const capture = await startCapture({}, 300);
    try {
      const smtp = provider({ TOCSIN_SMTP_PORT: String(capture.port) });
      const first = outcomeLog();
      await smtp.send(emails(2), testRenderings(), first.report, never);
      expect(first.kinds()).toEqual({ accepted: 2 });
      await vi.waitFor(() => expect(capture.connections()).toBe(0), { timeout: 10_000, interval: 50 });
      const second = outcomeLog();
      const personal = outgoing('email', 'ack@example.edu', {
        acknowledgeUrl: 'https://tocsin.mit.edu/ack/t',
      });
      await smtp.send([personal, ...emails(1)], testRenderings(), second.report, never);
      expect(second.kinds()).toEqual({ accepted: 2 });
      expect(capture.received).toHaveLength(3);
    } finally {
      await capture.close();
    }
  });

  it('signs in to a relay that requires it; refused credentials are retryable', async () => {
    const strict = await startSimulator({ smtpAuth: { required: true, user: 'tocsin', password: 's3cret' } });
    try {
      const settingsFor = (password: string) =>
        loadConfig({
          ...strict.environment,
          TOCSIN_SMTP_FROM: 'alerts@mit.edu',
          TOCSIN_SMTP_PASSWORD: password,
        }).delivery.providers.find((p) => p.type === 'smtp') as SmtpSettings;
      const good = smtpProvider({ profile, log: pino({ level: 'silent' }) }, settingsFor('s3cret'));
      const bad = smtpProvider({ profile, log: pino({ level: 'silent' }) }, settingsFor('wrong'));
      open.push(good, bad);
      const ack = outgoing('email', 'ack@example.edu', { acknowledgeUrl: 'https://tocsin.mit.edu/ack/t' });
      const signedIn = outcomeLog();
      await good.send([ack, ...emails(2)], testRenderings(), signedIn.report, never);
      expect(signedIn.kinds()).toEqual({ accepted: 3 });
      const refused = outcomeLog();
      await bad.send(emails(1), testRenderings(), refused.report, never);
      expect(refused.outcomes).toEqual([expect.objectContaining({ kind: 'retryable', code: '535' })]);
      expect(strict.stats().channels.email.accepted).toBe(3);
    } finally {
      await strict.stop();
    }
  });

  it('classifies refused messages, outages and timeouts', async () => {
    const smtp = provider({ TOCSIN_PROVIDER_TIMEOUT_SECONDS: '0.5' });
    sim.setFaults({ email: { errorRate: 1, errorStatus: 451 } });
    const deferred = outcomeLog();
    await smtp.send(emails(3), testRenderings(), deferred.report, never);
    expect(deferred.outcomes.map((o) => [o.kind, 'code' in o && o.code])).toEqual(
      Array(3).fill(['retryable', '451']),
    );
    sim.setFaults({ email: { errorRate: 1, errorStatus: 554 } });
    const refused = outcomeLog();
    await smtp.send(emails(2), testRenderings(), refused.report, never);
    expect(refused.kinds()).toEqual({ permanent: 2 });
    sim.setFaults({ email: { errorRate: 0, outages: [{ durationMs: 60_000 }] } });
    const outage = outcomeLog();
    await smtp.send(emails(2), testRenderings(), outage.report, never);
    expect(outage.outcomes[0]).toMatchObject({ kind: 'retryable', code: '421' });
    sim.setFaults({ email: { outages: [], timeoutRate: 1, timeoutMs: 0 } });
    const timeout = outcomeLog();
    await smtp.send(emails(2), testRenderings(), timeout.report, never);
    expect(timeout.kinds()).toEqual({ retryable: 2 });
  });
});
