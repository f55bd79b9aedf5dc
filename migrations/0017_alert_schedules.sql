-- Scheduled sends (issue 14, point 12): a test or exercise alert sent at a set time, optionally
-- recurring, so the annual Clery emergency-response test happens without someone at the keyboard.
-- Only tests and exercises: an emergency or operations alert is sent by a person when it happens.
--   scheduled -> sent | cancelled | failed   (src/alerts/schedules/schedules.policy.ts)
-- A worker's sweep (every few seconds) queues the fire job for each due schedule, marking
-- fire_queued_at in the same transaction; the job sends through sendAlert as the operator who
-- scheduled it, compare-and-set on the status so it sends exactly once.
create table alert_schedules (
  id uuid primary key default gen_random_uuid(),
  campus_id uuid not null references campuses (id),
  kind text not null check (kind in ('test', 'exercise')),
  status text not null default 'scheduled' check (status in ('scheduled', 'sent', 'cancelled', 'failed')),
  -- The complete send request (template, where/what/actions, audience, channels, …), as validated.
  request jsonb not null,
  fires_at timestamptz not null,
  -- null: once; otherwise { everyMonths, dayOfMonth, time } in the profile's time zone.
  recurrence jsonb,
  scheduled_by uuid not null references operators (id),
  scheduled_by_label text not null,
  -- The occurrence this one follows (a recurring schedule's next occurrence is created once).
  previous_id uuid unique references alert_schedules (id),
  fire_queued_at timestamptz,
  alert_id uuid references alerts (id) on delete set null,
  failure_reason text check (length(failure_reason) <= 2000),
  cancelled_by text,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'failed') = (failure_reason is not null))
);
create index alert_schedules_due_idx on alert_schedules (fires_at) where status = 'scheduled';
create index alert_schedules_campus_idx on alert_schedules (campus_id, fires_at desc);

-- Emails about a schedule to the operators who may send tests: reminders at the profile's offsets
-- before it fires, and a notice when it fails. With no email provider configured the message is
-- kept here (status 'kept'), readable through GET /api/v1/alert-schedules/<id>.
--   pending -> queued -> sent | kept | refused, or pending/queued -> skipped (cancelled, fired, failed)
create table alert_schedule_notices (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid not null references alert_schedules (id) on delete cascade,
  kind text not null check (kind in ('reminder', 'failure')),
  minutes_before integer check (minutes_before > 0),
  due_at timestamptz not null,
  status text not null default 'pending'
    check (status in ('pending', 'queued', 'sent', 'kept', 'refused', 'skipped')),
  queued_at timestamptz,
  subject text,
  body text,
  recipients jsonb,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  unique (schedule_id, kind, minutes_before)
);
create index alert_schedule_notices_due_idx on alert_schedule_notices (due_at) where status in ('pending', 'queued');
