-- Inbound CAP 1.2: alerts other systems post to Tocsin (POST /api/v1/cap/inbound) or that workers
-- poll from configured Atom feeds (the National Weather Service's), kept for an authorized operator
-- to relay as a Tocsin alert or to dismiss. Only documents valid against the CAP 1.2 schema are
-- stored, with the original XML and its parsed fields.

create table inbound_cap (
  id uuid primary key default gen_random_uuid(),
  -- Newest first, and the keyset of the list.
  seq bigint generated always as identity unique,
  campus_id uuid not null references campuses (id),
  sender text not null check (length(sender) between 1 and 500),
  identifier text not null check (length(identifier) between 1 and 500),
  sent_at timestamptz not null,
  cap_status text not null check (cap_status in ('Actual', 'Exercise', 'System', 'Test', 'Draft')),
  msg_type text not null check (msg_type in ('Alert', 'Update', 'Cancel', 'Ack', 'Error')),
  status text not null default 'pending' check (status in ('pending', 'relayed', 'dismissed', 'expired')),
  -- 'api' for a POST, otherwise the URL of the feed it was read from.
  source text not null check (length(source) between 1 and 2000),
  -- The feed entry it came from (Atom id and updated), so an unchanged entry is not fetched again.
  feed_entry text check (length(feed_entry) <= 2000),
  submitted_by text not null,
  document text not null check (length(document) <= 1048576),
  parsed jsonb not null,
  -- The latest <expires> of its info blocks; null when an info block gives none (never expires).
  expires_at timestamptz,
  received_at timestamptz not null,
  alert_id uuid references alerts (id),
  handled_by text,
  handled_at timestamptz,
  dismiss_reason text check (length(dismiss_reason) between 1 and 1000),
  -- CAP: an identifier is unique for its sender, so (sender, identifier) names one message.
  unique (campus_id, sender, identifier),
  check ((status = 'pending') = (handled_at is null)),
  check (status = 'pending' or handled_by is not null),
  check (status <> 'relayed' or alert_id is not null),
  check ((status = 'dismissed') = (dismiss_reason is not null))
);
create index inbound_cap_list_idx on inbound_cap (campus_id, status, seq desc);
create index inbound_cap_pending_expiry_idx on inbound_cap (expires_at) where status = 'pending';
create index inbound_cap_purge_idx on inbound_cap (handled_at) where status in ('dismissed', 'expired');
create index inbound_cap_feed_entry_idx on inbound_cap (source, feed_entry) where feed_entry is not null;

-- What workers remember about each configured feed: the validators for conditional GET, when it
-- is due, and how the last poll went. The feeds themselves are deployment configuration
-- (TOCSIN_CAP_FEEDS), shared by the institution, so the row carries no campus; what a feed
-- brings in is stored on the campus that relays it.
create table cap_feeds (
  url text primary key check (url ~ '^https?://' and length(url) <= 2000),
  etag text,
  last_modified text,
  next_poll_at timestamptz not null,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  created_at timestamptz not null default now()
);
