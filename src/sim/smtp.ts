import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { decideFault, latencyOf, type FaultDecision } from './faults.js';
import type { SimContext } from './sim-context.js';
import { deliveryIdsOf, parseHeaders, readHeaderBlock } from './smtp-headers.js';

/** How the simulated mail server treats AUTH. */
export interface SmtpAuthOptions {
  /** Refuse mail from clients that did not authenticate (default: AUTH optional). */
  required: boolean;
  /** When both are set, AUTH must present them; otherwise any credentials are accepted. */
  user?: string;
  password?: string;
}

/** A running SMTP server. */
export interface SimSmtp {
  port: number;
  close(): Promise<void>;
}

type DataCallback = (error?: Error | null, message?: string) => void;

/** An SMTP refusal: smtp-server answers `code` and, for 421, closes the connection. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the end of DATA answers: a refusal, silence (for `hangMs`, 0: until the client leaves), or acceptance. */
type Outcome = { error: Error } | { hangMs: number } | { queuedAs: string };

/** The injected refusal for a message to `n` recipients, counted against each, or undefined to go on. */
function injectedRefusal(
  sim: SimContext,
  decision: FaultDecision,
  n: number,
  now: number,
): Outcome | undefined {
  const faults = sim.faults.for('email');
  if (decision.kind === 'outage') {
    sim.stats.reject('email', '421', n);
    return {
      error: smtpError(421, 'Service not available, closing transmission channel (simulated outage)'),
    };
  }
  if (decision.kind === 'error') {
    const code = faults.errorStatus ?? 451;
    sim.stats.reject('email', String(code), n);
    return { error: smtpError(code, `Simulated ${code >= 500 ? 'permanent' : 'temporary'} failure`) };
  }
  if (decision.kind === 'timeout' && !decision.afterAccept) {
    sim.stats.reject('email', 'timeout', n);
    return { hangMs: decision.afterMs };
  }
  if (sim.channelLimiter.take('email', faults.ratePerSecond ?? 0, now) > 0) {
    sim.stats.reject('email', '451', n);
    return { error: smtpError(451, 'Rate limit exceeded, try again later') };
  }
  return undefined;
}

/** Record one accepted delivery per RCPT TO, each with the delivery id at its position; returns the Message-ID. */
function recordDeliveries(
  sim: SimContext,
  session: SMTPServerSession,
  header: string,
  size: number,
  now: number,
) {
  const recipients = session.envelope.rcptTo.map((r) => r.address);
  const headers = parseHeaders(header);
  const ids = deliveryIdsOf(headers);
  const messageId = headers.get('message-id')?.[0] ?? `<${randomBytes(8).toString('hex')}@tocsin-sim>`;
  const subject = headers.get('subject')?.[0];
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
  const n = recipients.length;
  recipients.forEach((to, i) => {
    const deliveryId = ids[i];
    const id = n === 1 ? messageId : `${messageId}#${i + 1}`;
    const details = { size, recipients: n };
    sim.store.add({
      channel: 'email',
      id,
      at: now,
      to,
      from,
      body: null,
      subject,
      deliveryId: deliveryId ?? null,
      details,
    });
    sim.stats.accept('email', deliveryId, now);
  });
  sim.stats.count('email', 'messages');
  if (ids.length > 0 && ids.length !== n) sim.stats.count('email', 'idMismatches');
  return messageId;
}

/** Decide one message's fate at the end of DATA: faults first, then one delivery per recipient. */
async function finishMessage(sim: SimContext, session: SMTPServerSession, header: string, size: number) {
  const n = session.envelope.rcptTo.length;
  sim.stats.request('email', n);
  sim.stats.opened('email', n);
  try {
    return await decideMessage(sim, session, header, size, n);
  } finally {
    // Answered as far as counting goes once its outcome is decided (the reply follows at once).
    sim.stats.answered('email', n);
  }
}

async function decideMessage(
  sim: SimContext,
  session: SMTPServerSession,
  header: string,
  size: number,
  n: number,
): Promise<Outcome> {
  const faults = sim.faults.for('email');
  const delay = latencyOf(faults);
  if (delay > 0) await sleep(delay);
  const now = Date.now();
  const decision = decideFault(faults, now);
  const refusal = injectedRefusal(sim, decision, n, now);
  if (refusal) return refusal;
  const messageId = recordDeliveries(sim, session, header, size, now);
  if (decision.kind === 'timeout') {
    if (n > 0) sim.stats.responseLost('email');
    return { hangMs: decision.afterMs };
  }
  return { queuedAs: messageId };
}

/**
 * The SMTP server: any envelope is accepted; each RCPT TO counts as one email delivery when the
 * message is accepted at the end of DATA. Faults answer there: outages 421 (connection closed),
 * injected errors `errorStatus` as the SMTP reply code (default 451; 5xx is permanent), timeouts
 * never answer or answer 421 after `timeoutMs`. No STARTTLS: point Tocsin at it in plain text.
 */
export async function startSmtp(
  sim: SimContext,
  options: { host: string; port: number; auth: SmtpAuthOptions },
): Promise<SimSmtp> {
  const held = new Set<DataCallback>();
  const server = new SMTPServer({
    name: 'tocsin-sim',
    banner: 'tocsin-sim ESMTP (provider simulator)',
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.auth.required,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: 50 * 1024 * 1024,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      const { user, password } = options.auth;
      if (
        user !== undefined &&
        password !== undefined &&
        (auth.username !== user || auth.password !== password)
      )
        return callback(smtpError(535, 'Authentication credentials invalid'));
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: DataCallback) {
      readHeaderBlock(stream)
        .then(({ header, size }) => finishMessage(sim, session, header, size))
        .then((outcome: Outcome) => {
          if ('error' in outcome) return callback(outcome.error);
          if ('queuedAs' in outcome) return callback(null, `Message queued as ${outcome.queuedAs}`);
          held.add(callback);
          if (outcome.hangMs > 0)
            setTimeout(() => {
              if (held.delete(callback)) callback(smtpError(421, 'Timeout, closing connection (simulated)'));
            }, outcome.hangMs);
        })
        .catch((error: unknown) => callback(smtpError(451, `Simulator error: ${String(error)}`)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => sim.log.warn({ err: error }, 'SMTP connection error'));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const callback of held) callback(smtpError(421, 'Server shutting down'));
        held.clear();
        server.close(() => resolve());
      }),
  };
}
