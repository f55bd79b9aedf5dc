-- Notices to operators about changes to the accounts around them, shown in the console until read
-- (GET /api/v1/auth/notices). Two kinds:
--   sending_role_granted: an administrator (or the server's command line) gave someone a role that
--     sends alerts; every other active administrator (operators.manage) gets one, so no single
--     administrator can hand out the power to alert the campus unseen.
--   token_created_for_you: the server's command line (`tocsin tokens create --for`) made an API
--     token that acts for this operator; they get one, since it acts in their name.
-- The audit log holds the change itself; a notice only makes sure the people who should look, do.
create table operator_notices (
  id uuid primary key default gen_random_uuid(),
  operator_id uuid not null references operators (id) on delete cascade,
  kind text not null check (kind in ('sending_role_granted', 'token_created_for_you')),
  message text not null check (length(message) between 1 and 2000),
  about_operator_id uuid references operators (id) on delete set null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index operator_notices_unread_idx on operator_notices (operator_id, created_at) where read_at is null;
