import type { DeliveryStatus } from '../../alerts.tables.js';

/** What a Twilio status callback means for a delivery; null: nothing to record (progress only). */
export type ReceiptVerdict = {
  status: Extract<DeliveryStatus, 'sent' | 'delivered' | 'temporary_failure' | 'permanent_failure'>;
  /** Twilio's ErrorCode, or the call status that failed it (busy, no-answer, …). */
  code: string | null;
  error: string | null;
} | null;

// ErrorCodes after which sending again cannot help: the number cannot receive SMS, blocked it,
// or the recipient opted out (https://www.twilio.com/docs/api/errors).
const permanentSmsCodes = new Set([
  '21211', // invalid To
  '21408', // region not enabled
  '21610', // recipient replied STOP
  '21612', // To cannot be reached from this From
  '21614', // not a mobile number
  '30004', // message blocked
  '30005', // unknown destination handset
  '30006', // landline or unreachable carrier
  '30007', // carrier filtering
]);

const smsWording: Record<string, string> = {
  '30003': 'unreachable handset (off or out of coverage)',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier',
  '30008': 'unknown error at the carrier',
};

function smsFailure(status: string, code: string | undefined): ReceiptVerdict {
  const known = code ? smsWording[code] : undefined;
  const error = `Twilio ${status}${code ? ` ${code}` : ''}${known ? `: ${known}` : ''}`;
  const permanent = code !== undefined && permanentSmsCodes.has(code);
  return { status: permanent ? 'permanent_failure' : 'temporary_failure', code: code ?? status, error };
}

function callVerdict(status: string): ReceiptVerdict {
  switch (status) {
    case 'completed':
      return { status: 'delivered', code: null, error: null };
    case 'busy':
    case 'no-answer':
      return { status: 'temporary_failure', code: status, error: `call ${status.replace('-', ' ')}` };
    case 'failed':
    case 'canceled':
      return { status: 'permanent_failure', code: status, error: `call ${status}` };
    default:
      return null; // queued, initiated, ringing, in-progress
  }
}

/**
 * The delivery status a Twilio status callback asks for. Messages: sent → sent; delivered (and
 * read) → delivered; undelivered or failed → permanent_failure when the ErrorCode says the number
 * cannot be reached by SMS at all, otherwise temporary_failure (sent again later). Calls:
 * completed → delivered; busy, no-answer → temporary_failure; failed, canceled →
 * permanent_failure. Queued, sending, ringing and in-progress record nothing.
 */
export function twilioReceiptVerdict(params: Readonly<Record<string, string | undefined>>): ReceiptVerdict {
  if (params.CallStatus) return callVerdict(params.CallStatus);
  const status = params.MessageStatus ?? params.SmsStatus;
  const code = params.ErrorCode?.trim() || undefined;
  switch (status) {
    case 'sent':
      return { status: 'sent', code: null, error: null };
    case 'delivered':
    case 'read':
      return { status: 'delivered', code: null, error: null };
    case 'undelivered':
    case 'failed':
      return smsFailure(status, code);
    default:
      return null;
  }
}
