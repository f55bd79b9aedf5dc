-- Workers announce that they are alive: each beats every second (last_seen). Work a worker holds
-- names it (deliveries.claimed_by, worker_jobs), so another worker takes over within seconds of a
-- crash instead of waiting for the stuck timeout, which stays as the last resort for a worker that
-- beats but is wedged.
create table workers (
  id uuid primary key,
  host text not null,
  pid integer not null,
  started_at timestamptz not null default now(),
  last_seen timestamptz not null default now()
);

-- The pg-boss job each worker is running (a row while the handler runs).
create table worker_jobs (
  job_id uuid primary key,
  worker_id uuid not null,
  started_at timestamptz not null default now()
);
create index worker_jobs_worker on worker_jobs (worker_id);

alter table deliveries add column claimed_by uuid;
