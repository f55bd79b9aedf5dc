import type { CapFeedHealth } from './cap-feeds.types.js';

export interface FeedState {
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
}

const ago = (from: Date, now: Date) => {
  const minutes = Math.round((now.getTime() - from.getTime()) / 60_000);
  return minutes < 1 ? 'less than a minute ago' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
};

/**
 * How a feed is doing: not polled yet, fine, answering but with entries that failed, failing
 * (its last polls in a row gave no usable answer), or stale (no poll for three periods: the
 * workers that poll it are not running). Stale wins: old failures say nothing about now.
 */
export function feedHealth(
  state: FeedState | undefined,
  now: Date,
  pollSeconds: number,
): { health: CapFeedHealth; summary: string } {
  if (!state?.last_polled_at)
    return { health: 'waiting', summary: 'Not polled yet: the workers poll it within a period of starting.' };
  const staleAfterMs = Math.max(3 * pollSeconds * 1000, 60_000);
  if (now.getTime() - state.last_polled_at.getTime() > staleAfterMs)
    return {
      health: 'stale',
      summary: `Not polled since ${ago(state.last_polled_at, now)}: check that the Tocsin workers are running.`,
    };
  if (state.consecutive_failures > 0) {
    const since = state.last_success_at
      ? `; last good answer ${ago(state.last_success_at, now)}`
      : '; never answered';
    const times =
      state.consecutive_failures === 1 ? 'the last poll' : `the last ${state.consecutive_failures} polls`;
    return {
      health: 'failing',
      summary: `Failing: ${times} gave no usable answer${since}. CAP from this feed is not arriving.`,
    };
  }
  if (state.last_error)
    return {
      health: 'entry_errors',
      summary: 'Answering, but some entries could not be read (see the error).',
    };
  return { health: 'ok', summary: `Answering: last polled ${ago(state.last_polled_at, now)}.` };
}

const secretName = /key|token|secret|pass|auth|sig|cred|session/i;

/** A feed URL fit to show: the values of query parameters whose names look like secrets masked. */
export function displayFeedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())])
    if (secretName.test(name)) parsed.searchParams.set(name, '***');
  return parsed.href;
}

/** Text (a feed's last error, say) with every URL in it shown as displayFeedUrl shows it. */
export function maskUrlsIn(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (found) => {
    // Punctuation after a URL in a sentence ("from https://…: connect refused") is the sentence's.
    const tail = /[:.,;)\]]+$/.exec(found)?.[0] ?? '';
    return displayFeedUrl(found.slice(0, found.length - tail.length)) + tail;
  });
}
