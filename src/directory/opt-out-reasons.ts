// These strings are stored in contacts.opt_out_reason (and copied into suppressed deliveries'
// reasons): never change a value, only add new ones.

/** The opt-out reason a STOP by SMS records; START undoes only these. */
export const smsStopReason = 'sms_stop';

/** The opt-out reasons of a registrant's unsubscribe link: one address, or everything ("remove me"). */
export const unsubscribeReasons = {
  contact: 'unsubscribed by link',
  all: 'removed by the registrant',
} as const;
