import type { Actor } from '../../platform/actor.js';

/** The audit actor of something a phone did by SMS (STOP, START, "1"/"2"): the number itself. */
export function smsActor(phone: string): Actor {
  return { type: 'anonymous', id: null, label: `sms:${phone}` };
}
