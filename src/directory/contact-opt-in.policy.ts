import { smsStopReason, unsubscribeReasons } from './opt-out-reasons.js';

/**
 * Opt-outs the person made themselves: STOP by SMS, an unsubscribe link, "remove me". Only the
 * person undoes these (START by SMS, registering again); an operator may not send to them again.
 */
const personMadeOptOutReasons: readonly string[] = [smsStopReason, ...Object.values(unsubscribeReasons)];

/** Whether an operator may opt a contact back in: it is opted out, and not by the person's own choice. */
export function operatorMayOptIn(contact: {
  opted_out_at: Date | null;
  opt_out_reason: string | null;
}): boolean {
  if (!contact.opted_out_at) return false;
  return !personMadeOptOutReasons.includes(contact.opt_out_reason ?? '');
}

/** Why an operator may not opt this contact in, in words; null when they may. */
export function optInRefusal(contact: {
  opted_out_at: Date | null;
  opt_out_reason: string | null;
}): string | null {
  if (!contact.opted_out_at) return 'This contact is not opted out.';
  if (operatorMayOptIn(contact)) return null;
  return contact.opt_out_reason === smsStopReason
    ? 'The person opted this number out by replying STOP; only they can opt back in, by replying START.'
    : `The person opted this address out themselves (${contact.opt_out_reason}); only they can opt back in, by registering the address again.`;
}
