-- Re-sending a message to the people it has not reached (POST /api/v1/alerts/:id/reach/resend).
-- Each click is one round; its deliveries are ordinary rows of the same message, told apart by the
-- round, so a message may go to the same address again only in a new round (never twice in one).
alter table deliveries add column resend_round integer not null default 0 check (resend_round >= 0);
alter table deliveries drop constraint deliveries_message_id_person_id_channel_address_key;
alter table deliveries add constraint deliveries_once_per_round
  unique nulls not distinct (message_id, person_id, channel, address, resend_round);

-- One row per click: its id is chosen by the client, so the same click sent twice re-sends once.
create table delivery_resends (
  id uuid primary key,
  alert_id uuid not null references alerts (id) on delete cascade,
  message_id uuid not null references alert_messages (id) on delete cascade,
  round integer not null check (round >= 1),
  requested_by text not null,
  people integer not null check (people >= 0),
  deliveries integer not null check (deliveries >= 0),
  created_at timestamptz not null default now(),
  unique (message_id, round)
);
