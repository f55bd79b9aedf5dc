import type { Generated } from 'kysely';

/** What an inbound SMS was taken to mean. */
export type InboundAction = 'stop' | 'start' | 'help' | 'safe' | 'need_help' | 'unknown';

/** Inbound SMS already handled, by Twilio MessageSid (a replay changes nothing); never the text. */
interface InboundSmsTable {
  message_sid: string;
  action: InboundAction;
  received_at: Generated<Date>;
}

export interface ReplyTables {
  inbound_sms: InboundSmsTable;
}
