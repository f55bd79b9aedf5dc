-- Self-registration of the extended community (parents, neighbours). A registration holds the
-- name, language and consent with its unverified addresses; only a verified address becomes a row
-- of `contacts` (source 'self', verified_at set) on a person of affiliation 'extended', so an
-- address nobody proved they own can never receive an alert.

create table registrations (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  display_name text not null check (length(display_name) between 1 and 200),
  preferred_language text not null check (preferred_language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  consented_at timestamptz not null,
  -- Set by the first verified address; null while nothing is verified.
  person_id uuid references people (id) on delete set null,
  created_at timestamptz not null
);
create index registrations_unverified_idx on registrations (created_at) where person_id is null;

-- One address to verify: an SMS code (HMAC-SHA256 of the 6-digit code, never the code) or an
-- email link (a signed token over this row's id). Expiry and attempts are checked here.
create table registration_contacts (
  id uuid primary key default gen_random_uuid(),
  registration_id uuid not null references registrations (id) on delete cascade,
  channel text not null check (channel in ('sms', 'email')),
  address text not null check (length(address) between 3 and 320),
  status text not null default 'pending'
    check (status in ('pending', 'verified', 'locked', 'cancelled')),
  code_hash bytea,
  attempts integer not null default 0 check (attempts >= 0),
  -- When the code or link stops working; null until the first message is prepared.
  expires_at timestamptz,
  messages_sent integer not null default 0,
  verified_at timestamptz,
  contact_id uuid references contacts (id) on delete set null,
  created_at timestamptz not null,
  unique (registration_id, channel),
  check ((status = 'verified') = (verified_at is not null)),
  check (channel = 'sms' or code_hash is null)
);

-- Fixed-window counters for throttling anonymous requests. The key is an HMAC of the IP address or
-- destination address with a secret, never the value; rows are deleted once their window ends.
create table registration_throttle (
  bucket text not null check (bucket ~ '^[a-z_]{1,40}$'),
  key_hash bytea not null,
  window_start timestamptz not null,
  hits integer not null check (hits >= 0),
  expires_at timestamptz not null,
  primary key (bucket, key_hash, window_start)
);
create index registration_throttle_expiry_idx on registration_throttle (expires_at);

-- Verification messages kept on the machine when no real SMS or email provider is configured
-- (`npm start`), so a tester can read the code or the link. Deleted with the registration.
create table registration_outbox (
  id uuid primary key default gen_random_uuid(),
  registration_contact_id uuid not null references registration_contacts (id) on delete cascade,
  channel text not null check (channel in ('sms', 'email')),
  address text not null,
  subject text,
  body text not null,
  created_at timestamptz not null
);
create index registration_outbox_created_idx on registration_outbox (created_at desc);
