-- Alerts: versioned templates, alerts with their Clery emergency-notification record, the messages
-- of an alert (original, updates, all-clear), one delivery per (message, person, channel, address),
-- and the emergency-test register.

create table alert_templates (
  id uuid primary key default gen_random_uuid(),
  hazard text not null check (hazard ~ '^[a-z][a-z0-9_]*$'),
  name text not null check (length(name) between 1 and 200),
  current_version integer not null default 1 check (current_version > 0),
  archived_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index alert_templates_name_key on alert_templates (lower(name));

-- One row per (template, version, language); a version is immutable once written.
create table alert_template_versions (
  template_id uuid not null references alert_templates (id) on delete cascade,
  version integer not null check (version > 0),
  language text not null check (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  what text not null check (length(what) between 1 and 500),
  where_text text not null check (length(where_text) between 1 and 300),
  actions text not null check (length(actions) between 1 and 500),
  cap jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (template_id, version, language)
);

create table alerts (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  kind text not null check (kind in ('emergency', 'operations', 'test', 'exercise')),
  status text not null check (status in ('draft', 'sending', 'sent', 'closed')),
  hazard text not null,
  template_id uuid not null references alert_templates (id),
  template_version integer not null,
  audience jsonb not null,
  audience_reason text not null check (length(audience_reason) between 1 and 1000),
  channels text[] not null check (cardinality(channels) > 0),
  -- The Clery emergency-notification record (34 CFR 668.46(g)).
  confirmed_by text,
  confirmation_source text,
  confirmed_at timestamptz,
  initiated_at timestamptz,
  delay_reason text check (delay_reason in ('assist_victim', 'contain', 'respond', 'mitigate')),
  delay_decided_by text,
  created_by text not null,
  sent_by text,
  closed_at timestamptz,
  close_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((delay_reason is null) = (delay_decided_by is null)),
  check (status not in ('sending', 'sent', 'closed') or initiated_at is not null),
  check (kind not in ('emergency') or status = 'draft' or (confirmed_by is not null and confirmed_at is not null and confirmation_source is not null))
);
create index alerts_campus_idx on alerts (campus_id, created_at desc);
create index alerts_status_idx on alerts (status) where status in ('sending', 'sent');

-- Each message of an alert: the original (sequence 0), updates, the all-clear. Same audience.
create table alert_messages (
  id uuid primary key default gen_random_uuid(),
  alert_id uuid not null references alerts (id) on delete cascade,
  sequence integer not null check (sequence >= 0),
  message_type text not null check (message_type in ('alert', 'update', 'all_clear', 'cancel')),
  template_id uuid not null references alert_templates (id),
  template_version integer not null,
  content jsonb not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (alert_id, sequence)
);

create table deliveries (
  id uuid primary key default gen_random_uuid(),
  alert_id uuid not null references alerts (id) on delete cascade,
  message_id uuid not null references alert_messages (id) on delete cascade,
  person_id uuid references people (id) on delete set null,
  channel text not null check (channel in ('sms', 'voice', 'email', 'public_page', 'signage', 'desktop', 'x', 'facebook', 'cap', 'webhook')),
  address text not null,
  language text not null,
  template_version integer not null,
  priority integer not null,
  status text not null check (status in ('created', 'queued', 'sending', 'sent', 'delivered',
    'temporary_failure', 'permanent_failure', 'technical_failure', 'suppressed', 'cancelled')),
  suppression_reason text,
  provider text,
  provider_message_id text,
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sending_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  check ((status = 'suppressed') = (suppression_reason is not null)),
  -- Public channels (page, signage, social) have no person: NULLS NOT DISTINCT keeps them unique too.
  unique nulls not distinct (message_id, person_id, channel, address)
);
create index deliveries_work_idx on deliveries (priority desc, created_at) where status in ('created', 'queued', 'temporary_failure');
create index deliveries_message_status_idx on deliveries (message_id, channel, status);
create index deliveries_sending_idx on deliveries (sending_at) where status = 'sending';
create index deliveries_provider_idx on deliveries (provider, provider_message_id) where provider_message_id is not null;

-- The emergency-response test register (Clery: description, date, time, announced or not).
-- What the outbox provider "sent": stored and listed, nothing leaves the machine.
create table outbox_messages (
  id uuid primary key default gen_random_uuid(),
  delivery_id uuid not null unique references deliveries (id) on delete cascade,
  channel text not null,
  address text not null,
  subject text,
  body text not null,
  created_at timestamptz not null default now()
);
create index outbox_messages_created_idx on outbox_messages (created_at desc);

create table emergency_tests (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  alert_id uuid references alerts (id) on delete set null,
  description text not null check (length(description) between 1 and 2000),
  tested_at timestamptz not null,
  announced boolean not null,
  publicised boolean not null default false,
  recorded_by text not null,
  created_at timestamptz not null default now()
);
create index emergency_tests_campus_idx on emergency_tests (campus_id, tested_at desc);
