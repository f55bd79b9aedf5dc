import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type { SmtpSettings } from '../../../platform/delivery-settings.js';

/** What a server answered for one message: who it took and who it refused. */
type SmtpSent = SMTPConnection.SentMessageInfo;

/** An open connection, and whether the server or the network has ended it. */
interface Lane {
  connection: SMTPConnection;
  ended: boolean;
  sent: number;
}

/** Messages sent over one connection before it is replaced, as nodemailer's pool does. */
const maxMessagesPerConnection = 1_000;

/**
 * Up to `maxConnections` SMTP connections kept open (nodemailer's SMTPConnection: STARTTLS when
 * offered, AUTH when configured), each sending one finished message at a time: the envelope
 * pipelined (RFC 2920) and the message's bytes as given. Made for messages built ahead (the
 * personal emails are spliced, not composed): nodemailer's pooled transport composes, streams and
 * schedules each one again, three times the work per message. A connection that fails is closed
 * and replaced; a refusal of the envelope or the message keeps it, after RSET.
 */
export function smtpConnections(settings: SmtpSettings) {
  const idle: Lane[] = [];
  const waiting: Array<(lane: Lane | null) => void> = [];
  let open = 0;
  let closed = false;

  function connect(): Promise<Lane> {
    const connection = new SMTPConnection({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    });
    const lane: Lane = { connection, ended: false, sent: 0 };
    // Errors also reach the send in flight (its callback); this only marks the lane for replacement.
    connection.on('error', () => (lane.ended = true));
    connection.on('end', () => (lane.ended = true));
    return new Promise((resolve, reject) => {
      connection.connect((error) => {
        if (error) return reject(error);
        if (!settings.user) return resolve(lane);
        connection.login({ user: settings.user, pass: settings.password ?? '' }, (e) =>
          e ? reject(e) : resolve(lane),
        );
      });
    });
  }

  async function acquire(): Promise<Lane> {
    if (closed) throw Object.assign(new Error('SMTP provider closed'), { code: 'ECLOSED' });
    for (let lane = idle.pop(); lane; lane = idle.pop()) {
      if (!lane.ended) return lane;
      open -= 1;
    }
    if (open < settings.maxConnections) {
      open += 1;
      try {
        return await connect();
      } catch (error) {
        open -= 1;
        handOn();
        throw error;
      }
    }
    const lane = await new Promise<Lane | null>((resolve) => waiting.push(resolve));
    return lane ?? acquire();
  }

  /** Give a free lane (or the room for a new one: null) to the next waiting send. */
  function handOn(lane: Lane | null = null) {
    const next = waiting.shift();
    if (next) next(lane);
    else if (lane) idle.push(lane);
  }

  function release(lane: Lane, reusable: boolean) {
    if (!reusable || closed || lane.ended) {
      lane.ended = true;
      lane.connection.close();
      open -= 1;
      handOn();
      return;
    }
    handOn(lane);
  }

  return {
    /** Send one finished message; rejects with nodemailer's SMTP error (responseCode, response). */
    async send(envelope: SMTPConnection.Envelope, message: Buffer): Promise<SmtpSent> {
      const lane = await acquire();
      lane.sent += 1;
      try {
        const info = await new Promise<SmtpSent>((resolve, reject) =>
          lane.connection.send(envelope, message, (error, sent) => (error ? reject(error) : resolve(sent))),
        );
        release(lane, lane.sent < maxMessagesPerConnection);
        return info;
      } catch (caught) {
        const error = caught as SMTPConnection.SMTPError;
        const refusedHere =
          ['EENVELOPE', 'EMESSAGE'].includes(error.code ?? '') && error.responseCode !== 421;
        if (!refusedHere || lane.ended) release(lane, false);
        else lane.connection.reset((resetError) => release(lane, !resetError));
        throw error;
      }
    },
    /** Close every connection; sends waiting for one fail. */
    close() {
      closed = true;
      for (const lane of idle.splice(0)) lane.connection.quit();
      for (const next of waiting.splice(0)) next(null);
    },
  };
}
