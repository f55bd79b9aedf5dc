-- Community directory: people, their contacts, groups, locations (with Clery geography) and sync runs.
create extension if not exists pg_trgm;

create table locations (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  kind text not null check (kind in ('building', 'zone', 'residence_hall')),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9. -]{0,39}$'),
  name text not null check (length(name) between 1 and 200),
  parent_id uuid references locations (id) on delete set null,
  address text,
  outline jsonb check (outline is null or jsonb_typeof(outline) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index locations_code_key on locations (campus_id, upper(code));
create index locations_parent_idx on locations (parent_id);

-- Clery geography of a location over time (34 CFR 668.46(a)); periods of one location never overlap.
create table location_clery_classes (
  id uuid primary key default gen_random_uuid(),
  location_id uuid not null references locations (id) on delete cascade,
  clery_class text not null check (clery_class in
    ('on_campus', 'on_campus_student_housing', 'noncampus', 'public_property', 'patrol_area')),
  effective_from date not null,
  effective_to date,
  check (effective_to is null or effective_to > effective_from)
);
create index location_clery_classes_location_idx on location_clery_classes (location_id, effective_from);

create table people (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  institutional_id text check (institutional_id ~ '^[A-Za-z0-9._@-]{1,100}$'),
  external_id text,
  affiliation text not null check (affiliation in ('student', 'employee', 'affiliate', 'extended')),
  status text not null default 'active' check (status in ('active', 'inactive')),
  given_name text,
  family_name text,
  display_name text not null check (length(display_name) between 1 and 300),
  department text,
  home_building_id uuid references locations (id) on delete set null,
  residence_hall_id uuid references locations (id) on delete set null,
  preferred_language text not null default 'en' check (preferred_language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  source text not null check (source in ('csv', 'scim', 'ldap', 'self', 'manual')),
  deactivated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'inactive') = (deactivated_at is not null))
);
create unique index people_institutional_id_key on people (campus_id, lower(institutional_id)) where institutional_id is not null;
create unique index people_external_id_key on people (campus_id, source, external_id) where external_id is not null;
create index people_campus_status_idx on people (campus_id, status, affiliation);
create index people_department_idx on people (campus_id, department);
create index people_home_building_idx on people (home_building_id) where home_building_id is not null;
create index people_residence_hall_idx on people (residence_hall_id) where residence_hall_id is not null;
create index people_display_name_trgm on people using gin (lower(display_name) gin_trgm_ops);
create index people_sort_idx on people (campus_id, lower(display_name), id);

create table contacts (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people (id) on delete cascade,
  channel text not null check (channel in ('sms', 'voice', 'email')),
  address text not null check (length(address) between 3 and 320),
  source text not null check (source in ('directory', 'self')),
  is_primary boolean not null default false,
  verified_at timestamptz,
  opted_out_at timestamptz,
  opt_out_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((opted_out_at is null) = (opt_out_reason is null)),
  unique (person_id, channel, address)
);
create index contacts_address_idx on contacts (channel, address);

create table groups (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  name text not null check (length(name) between 1 and 200),
  description text,
  kind text not null check (kind in ('static', 'dynamic')),
  rule jsonb check ((kind = 'dynamic') = (rule is not null)),
  source text not null default 'manual' check (source in ('manual', 'scim', 'ldap', 'csv')),
  external_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index groups_name_key on groups (campus_id, lower(name));
create unique index groups_external_id_key on groups (campus_id, source, external_id) where external_id is not null;

create table group_members (
  group_id uuid not null references groups (id) on delete cascade,
  person_id uuid not null references people (id) on delete cascade,
  added_at timestamptz not null default now(),
  primary key (group_id, person_id)
);
create index group_members_person_idx on group_members (person_id);

-- One run of a directory feed: what it would change or changed, and what it refused.
create table sync_runs (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  feed text not null check (feed in ('csv', 'ldap', 'scim')),
  mode text not null check (mode in ('dry_run', 'apply')),
  status text not null check (status in ('queued', 'running', 'previewed', 'applied', 'refused', 'failed')),
  forced boolean not null default false,
  input_name text,
  input_sha256 text,
  requested_by text,
  counts jsonb not null default '{}'::jsonb,
  row_errors jsonb not null default '[]'::jsonb,
  diff jsonb,
  message text,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now()
);
create index sync_runs_campus_idx on sync_runs (campus_id, created_at desc);

-- The uploaded file of a CSV run, kept until the run is applied or refused (then deleted).
create table sync_inputs (
  run_id uuid primary key references sync_runs (id) on delete cascade,
  content bytea not null
);
