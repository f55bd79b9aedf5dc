-- The delivery engine: which sender carried a delivery, a failure code to group failures by,
-- due retries, acknowledgements ("reply 1 if safe, 2 if you need help") and provider health.

alter table deliveries add column sender text;
alter table deliveries add column error_code text;
create index deliveries_retry_idx on deliveries (next_attempt_at) where status = 'temporary_failure';
create index deliveries_alert_channel_idx on deliveries (alert_id, channel, status);

-- An alert may ask people to acknowledge it; escalation calls those who did not within N minutes.
alter table alerts add column acknowledgement_requested boolean not null default false;
alter table alerts add column escalation_minutes integer check (escalation_minutes between 1 and 1440);
alter table alerts add constraint alerts_escalation_needs_ack
  check (escalation_minutes is null or acknowledgement_requested);

-- One answer per person and alert; a later answer replaces an earlier one (2 after 1 means help).
create table acknowledgements (
  alert_id uuid not null references alerts (id) on delete cascade,
  person_id uuid not null references people (id) on delete cascade,
  response text not null check (response in ('safe', 'need_help')),
  channel text not null check (channel in ('sms', 'email', 'voice', 'web')),
  delivery_id uuid references deliveries (id) on delete set null,
  responded_at timestamptz not null default now(),
  primary key (alert_id, person_id)
);
create index acknowledgements_need_help_idx on acknowledgements (alert_id, responded_at) where response = 'need_help';

-- Each provider's circuit as its workers last saw it (workers keep their own breaker; this row is
-- what operators see on the providers screen).
create table provider_health (
  provider text primary key,
  circuit text not null check (circuit in ('closed', 'open', 'half_open')),
  consecutive_failures integer not null default 0,
  last_error text,
  opened_at timestamptz,
  updated_at timestamptz not null default now()
);

-- Secrets the processes share (e.g. the key that signs acknowledgement and unsubscribe links),
-- created on first use; never returned by any API.
create table system_secrets (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  secret bytea not null check (length(secret) >= 32),
  created_at timestamptz not null default now()
);
