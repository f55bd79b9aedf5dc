import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as a real SMTP server received it: the envelope's recipients and the bytes of DATA. */
interface CapturedMessage {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (smtp-server) that keeps every message whole and refuses some recipients;
 * `idleMs` closes connections idle that long, as relays do.
 */
export async function startCapture(refuse: Record<string, [number, string]> = {}, idleMs?: number) {
  const received: CapturedMessage[] = [];
  const server = new SMTPServer({
    ...(idleMs ? { socketTimeout: idleMs } : {}),
    authOptional: true,
    closeTimeout: 100,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refuse[address.address];
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    /** Connections open now. */
    connections: () => server.connections.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
