import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { addressOptOutState } from '../../directory/address-opt-outs.js';
import { normalizePhone } from '../../directory/contacts.policy.js';
import { classifyReply } from './keywords.policy.js';
import { acknowledgeBySms } from './record-acknowledgement.js';
import { replyText, type ReplyText } from './reply-texts.js';
import type { InboundAction } from './replies.tables.js';
import { optInNumber, optOutNumber } from './sms-opt-out.js';

/** One SMS a phone sent to one of Tocsin's numbers (Twilio's inbound webhook fields). */
export interface InboundSms {
  messageSid: string;
  from: string;
  body: string;
}

/** What Tocsin answers: the text to send back (null: nothing), and what the SMS was taken to mean. */
export interface InboundSmsOutcome {
  action: InboundAction;
  reply: string | null;
  /** True when this MessageSid was handled before: nothing changed and nothing is sent again. */
  replay: boolean;
}

/**
 * Handle an inbound SMS once per MessageSid: STOP/START change the number's SMS opt-outs, HELP
 * answers, "1"/"2" acknowledge the latest alert that asked this number, anything else gets a short
 * explanation. The record of the MessageSid and every change commit together, so a webhook Twilio
 * retries after a failure is handled, and one it repeats after success changes nothing.
 */
export async function handleInboundSms(ctx: AppContext, sms: InboundSms): Promise<InboundSmsOutcome> {
  const action = classifyReply(sms.body, ctx.profile.alerts.replies.keywords);
  const phone = normalizePhone(sms.from, ctx.profile.directory.defaultPhoneRegion);
  return ctx.db.transaction().execute(async (trx) => {
    const first = await sql<{ message_sid: string }>`
      insert into inbound_sms (message_sid, action) values (${sms.messageSid}, ${action})
      on conflict (message_sid) do nothing returning message_sid`.execute(trx);
    if (first.rows.length === 0) return { action, reply: null, replay: true };
    const text = phone.ok ? await act(ctx, trx, phone.address, action) : null;
    ctx.log.info({ messageSid: sms.messageSid, action, replied: text !== null }, 'inbound sms');
    return { action, reply: text === null ? null : replyText(ctx.profile, text), replay: false };
  });
}

/** Apply one action for a number; the text to answer with, or null for none. */
async function act(
  ctx: AppContext,
  trx: Trx,
  phone: string,
  action: InboundAction,
): Promise<ReplyText | null> {
  switch (action) {
    case 'stop': {
      const change = await optOutNumber(trx, phone, ctx.clock.now());
      // Confirm once: a number already opted out gets no further message.
      return change.known > 0 && change.changed === 0 ? null : 'stop';
    }
    case 'start': {
      const change = await optInNumber(trx, phone, ctx.clock.now());
      return change.known > 0 && change.optedOut < change.known ? 'start' : 'help';
    }
    case 'help':
      return 'help';
    case 'safe':
    case 'need_help': {
      const window = ctx.profile.alerts.replies.acknowledgementWindowHours;
      const recorded = await acknowledgeBySms(trx, phone, action, window);
      if (!recorded) return 'noAlert';
      return action === 'safe' ? 'safe' : 'needHelp';
    }
    default:
      // A number that said STOP gets nothing more unless it asks (HELP, START) or answers an alert.
      return (await fullyOptedOut(trx, phone)) ? null : 'unknown';
  }
}

async function fullyOptedOut(trx: Trx, phone: string): Promise<boolean> {
  const state = await addressOptOutState(trx, { channel: 'sms', address: phone });
  return state.known > 0 && state.optedOut === state.known;
}
