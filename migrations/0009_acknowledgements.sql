-- Replies and acknowledgements: inbound SMS handled once, escalation calls, and finding the alert a
-- reply answers.

-- An escalation (no acknowledgement within N minutes → a voice call) is a message of its own that
-- carries the alert's latest content, so its calls do not collide with the alert's own voice
-- deliveries (deliveries are unique per message, person, channel and address).
alter table alert_messages drop constraint alert_messages_message_type_check;
alter table alert_messages add constraint alert_messages_message_type_check
  check (message_type in ('alert', 'update', 'all_clear', 'cancel', 'escalation'));

-- Inbound SMS already handled: Twilio retries a webhook it got no answer to, and a replayed
-- MessageSid must change nothing and be answered once. What was decided, never the text.
create table inbound_sms (
  message_sid text primary key check (message_sid ~ '^[A-Za-z0-9]{2,64}$'),
  action text not null check (action in ('stop', 'start', 'help', 'safe', 'need_help', 'unknown')),
  received_at timestamptz not null default now()
);
create index inbound_sms_received_idx on inbound_sms (received_at);

-- A reply ("1", "2") answers the most recent alert that texted that number.
create index deliveries_sms_address_idx on deliveries (address, created_at desc) where channel = 'sms';
