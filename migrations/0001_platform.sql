-- Platform: campuses. Every table that belongs to a campus carries campus_id.
create extension if not exists pgcrypto;

create table campuses (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z][a-z0-9_-]*$'),
  name text not null check (length(name) > 0),
  address text,
  created_at timestamptz not null default now()
);
