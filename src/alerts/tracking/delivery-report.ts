import { sql } from 'kysely';
import type { Writable } from 'node:stream';
import type { Db } from '../../platform/db/database.js';
import { maskedAddress, withAddressesMasked } from './masked-address.js';

/** The CSV's columns, in order (the first line of the file). */
const columns = [
  'delivery_id',
  'message_sequence',
  'message_type',
  'resend_round',
  'person_id',
  'channel',
  'address',
  'status',
  'created_at',
  'sent_at',
  'delivered_at',
  'updated_at',
  'attempts',
  'provider',
  'reason',
] as const;

interface ReportRow {
  delivery_id: string;
  message_sequence: number;
  message_type: string;
  resend_round: number;
  person_id: string | null;
  channel: string;
  address: string;
  status: string;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  updated_at: Date;
  attempts: number;
  provider: string | null;
  reason: string | null;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Free text a spreadsheet must not run as a formula (OWASP's CSV injection advice): a leading
 * = + - @ tab or carriage return gets an apostrophe in front.
 */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function csvLine(r: ReportRow): string {
  const reason = r.reason === null ? null : inertText(withAddressesMasked(r.reason));
  const fields = [
    r.delivery_id,
    r.message_sequence,
    r.message_type,
    r.resend_round,
    r.person_id,
    r.channel,
    maskedAddress(r.channel, r.address),
    r.status,
    iso(r.created_at),
    iso(r.sent_at),
    iso(r.delivered_at),
    iso(r.updated_at),
    r.attempts,
    r.provider,
    reason,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The first line of the report: a UTF-8 byte-order mark (so spreadsheets read • as •) and the columns. */
export const deliveryReportHeader = `\uFEFF${columns.join(',')}\r\n`;

const batchSize = 2_000;

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Write every delivery of an alert to `out` as CSV lines (after the header), a batch at a time
 * from a cursor in one read-only snapshot, waiting whenever `out` is full: memory stays flat at
 * any size, and the file is one consistent moment even while deliveries change. Stops early if
 * `out` is closed (the client went away). Returns the number of rows written.
 */
export async function writeDeliveryReport(db: Db, alertId: string, out: Writable): Promise<number> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      await sql`declare delivery_report no scroll cursor for
        select d.id as delivery_id, m.sequence as message_sequence, m.message_type, d.resend_round, d.person_id,
          d.channel, d.address, d.status, d.created_at, d.sent_at, d.delivered_at, d.updated_at, d.attempts,
          d.provider,
          coalesce(d.suppression_reason, d.error_code || ': ' || d.last_error, d.last_error, d.error_code) as reason
        from deliveries d join alert_messages m on m.id = d.message_id
        where d.alert_id = ${alertId}
        order by m.sequence, d.resend_round, d.channel, d.id`.execute(trx);
      let written = 0;
      for (;;) {
        const batch = await sql<ReportRow>`fetch ${sql.raw(String(batchSize))} from delivery_report`.execute(
          trx,
        );
        if (batch.rows.length === 0 || out.destroyed) break;
        written += batch.rows.length;
        if (!out.write(batch.rows.map(csvLine).join(''))) await drained(out);
      }
      return written;
    });
}
