import type { Trx } from '../../platform/db/database.js';
import {
  optInContactsByAddress,
  optOutContactsByAddress,
  type AddressOptChange,
} from '../../directory/address-opt-outs.js';
import { smsStopReason } from '../../directory/opt-out-reasons.js';
import { smsActor } from './sms-actor.js';

/**
 * STOP: opt every SMS contact with this number out (whoever's it is), reason `sms_stop`, one audit
 * row per contact. Fan-out then turns them into suppressed deliveries with the reason.
 */
export function optOutNumber(trx: Trx, phone: string, at: Date): Promise<AddressOptChange> {
  return optOutContactsByAddress(trx, smsActor(phone), {
    channel: 'sms',
    address: phone,
    reason: smsStopReason,
    at,
  });
}

/** START: undo the SMS STOP opt-outs of this number (not opt-outs made for other reasons), audited. */
export function optInNumber(trx: Trx, phone: string, at: Date): Promise<AddressOptChange> {
  return optInContactsByAddress(trx, smsActor(phone), {
    channel: 'sms',
    address: phone,
    reason: smsStopReason,
    at,
  });
}
