-- What each delivery provider has done, summed over every worker: answers that went through
-- (accepted or delivered, permanent refusals included: the provider answered) and retryable
-- failures (timeouts, connection errors, 5xx, 429), with the last of each. Each worker adds its
-- counts at most every 5 seconds while it sends, so the providers screen can say whether a
-- provider works now, not only when its circuit last changed. Nothing personal is kept: email
-- addresses and phone numbers are taken out of the failure text before it is stored.
create table provider_activity (
  provider text primary key,
  successes bigint not null default 0 check (successes >= 0),
  failures bigint not null default 0 check (failures >= 0),
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_failure text,
  since timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
