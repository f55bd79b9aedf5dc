import type { App } from '../../platform/http/server.js';
import type { Db } from '../../platform/db/database.js';
import type { RegistrationChannel } from './self-registration.tables.js';

let nextIp = 10;
/** A fresh documentation-range IP address per call, so per-IP throttles do not leak between tests. */
export function freshIp(): string {
  nextIp += 1;
  return `198.51.100.${nextIp % 250}`;
}

let nextNumber = 0;
/** A fresh fictional mobile number (555-01xx) in the national form people type. */
export function freshPhone(): string {
  nextNumber += 1;
  const area = 200 + Math.floor(nextNumber / 100);
  return `(${area}) 555-01${String(nextNumber % 100).padStart(2, '0')}`;
}

/** POST /api/v1/registrations from an IP address. */
export function postRegistration(app: App, body: Record<string, unknown>, ip = freshIp()) {
  return app.inject({ method: 'POST', url: '/api/v1/registrations', payload: body, remoteAddress: ip });
}

/** The newest verification message kept for a registration's address, waiting for the job. */
export async function keptMessage(
  db: Db,
  registrationId: string,
  channel: RegistrationChannel,
  after = 0,
): Promise<{ body: string; subject: string | null; address: string }> {
  for (let i = 0; i < 150; i += 1) {
    const rows = await db
      .selectFrom('registration_outbox as o')
      .innerJoin('registration_contacts as rc', 'rc.id', 'o.registration_contact_id')
      .select(['o.body', 'o.subject', 'o.address'])
      .where('rc.registration_id', '=', registrationId)
      .where('o.channel', '=', channel)
      .orderBy('o.created_at')
      .execute();
    if (rows.length > after) return rows[rows.length - 1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${channel} verification message for registration ${registrationId}`);
}

/** The six-digit code in an SMS. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1]!;
}

/** The path of the confirmation link in an email. */
export function linkPathIn(text: string): string {
  const match = /https?:\/\/[^/\s]+(\/register\/verify-email\/[A-Za-z0-9_.-]+)/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[1]!;
}

/** A code that is not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}
