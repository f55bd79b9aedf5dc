-- Identity: operators, their roles, sessions, login attempts, API tokens.
create table operators (
  id uuid primary key default gen_random_uuid(),
  username text not null check (username ~ '^[a-z0-9][a-z0-9._@-]{1,99}$'),
  display_name text not null check (length(display_name) between 1 and 200),
  email text,
  password_hash text,
  must_change_password boolean not null default false,
  totp_secret text,
  totp_enrolled_at timestamptz,
  totp_last_step bigint,
  failed_logins integer not null default 0 check (failed_logins >= 0),
  locked_until timestamptz,
  disabled_at timestamptz,
  sso_issuer text,
  sso_subject text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((sso_issuer is null) = (sso_subject is null))
);
create unique index operators_username_key on operators (username);
create unique index operators_sso_key on operators (sso_issuer, sso_subject) where sso_subject is not null;

create table operator_roles (
  operator_id uuid not null references operators (id) on delete cascade,
  role text not null check (role ~ '^[a-z][a-z0-9_-]*$'),
  source text not null check (source in ('manual', 'sso', 'bootstrap')),
  granted_at timestamptz not null default now(),
  granted_by uuid references operators (id) on delete set null,
  primary key (operator_id, role)
);

-- Server-side sessions. The cookie carries a random id; only its SHA-256 is stored.
create table sessions (
  id_hash text primary key,
  operator_id uuid not null references operators (id) on delete cascade,
  stage text not null check (stage in ('password_change', 'mfa_enrol', 'mfa_verify', 'active')),
  csrf_token text not null,
  pending_totp_secret text,
  auth_method text not null check (auth_method in ('password', 'sso')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_operator_idx on sessions (operator_id);
create index sessions_expires_idx on sessions (expires_at);

-- Login attempts, for per-address throttling; purged after a day.
create table login_attempts (
  id bigint generated always as identity primary key,
  username text not null,
  ip text,
  succeeded boolean not null,
  attempted_at timestamptz not null default now()
);
create index login_attempts_ip_idx on login_attempts (ip, attempted_at);
create index login_attempts_at_idx on login_attempts (attempted_at);

-- API tokens for integrations: scoped to permissions, stored hashed, revocable, expiring.
create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  prefix text not null unique,
  secret_hash text not null,
  permissions text[] not null check (cardinality(permissions) > 0),
  created_by uuid references operators (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- One-time state of an OpenID Connect sign-in in flight (state, nonce, PKCE verifier).
create table oidc_logins (
  state text primary key,
  nonce text not null,
  code_verifier text not null,
  return_to text not null default '/',
  created_at timestamptz not null default now()
);
