-- Alert history and search (GET /api/v1/alerts): newest first a page at a time, and a text search
-- over every message's what and where in every language.

-- The keyset of the history, (created_at, id) descending: a page is one index range, whatever
-- the filters on kind and status (a few values each, checked on the rows the range yields).
create index alerts_history_idx on alerts (created_at desc, id desc);

-- The words a search matches: what and where of one message, all its languages, one line.
-- Immutable (it reads only its argument), so it can be indexed; the search calls the same function.
create function alert_message_search_text(content jsonb) returns text
  language sql immutable strict parallel safe
  return (
    select coalesce(string_agg(coalesce(t.value ->> 'what', '') || ' ' || coalesce(t.value ->> 'where', ''), ' '), '')
    from jsonb_each(content) as t
  );

-- Substring search (ILIKE '%…%') with trigrams: without it each search reads every message.
create index alert_messages_search_trgm on alert_messages
  using gin (alert_message_search_text(content) gin_trgm_ops);
