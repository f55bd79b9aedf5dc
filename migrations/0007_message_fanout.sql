-- When a message's deliveries were created: an alert is sent only when every message has fanned out
-- and none of their deliveries is still waiting.
alter table alert_messages add column fanned_out_at timestamptz;
