/** How a configured CAP feed is doing, as GET /api/v1/cap/feeds answers (shared with the console). */
export type CapFeedHealth = 'waiting' | 'ok' | 'entry_errors' | 'failing' | 'stale';

/** One configured CAP feed's polling state. */
export interface CapFeedStatus {
  /** The feed's address, with the values of query parameters that look like secrets masked. */
  url: string;
  health: CapFeedHealth;
  /** The health in words an operator can act on. */
  summary: string;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
}
