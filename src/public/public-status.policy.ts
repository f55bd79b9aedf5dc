import type { PublicAlert } from './public-alert.types.js';

/**
 * The banner of the public page, loudest first: an active emergency, an active operations
 * disruption, a recent all-clear, a test or exercise in progress, or normal operations.
 */
export type SiteState = 'emergency' | 'operations' | 'all_clear' | 'test' | 'normal';

export interface SiteStatus {
  state: SiteState;
  /** Alerts in force that are on the page, loudest and newest first (drills included, marked). */
  active: PublicAlert[];
  /** Real (not drill) alerts whose all-clear is still shown, newest first. */
  recentAllClears: PublicAlert[];
  /**
   * What the page's cards and the displays show, in the banner's order: real alerts in force, the
   * recent all-clears, then drills in force. The first one is what `state` is about.
   */
  shown: PublicAlert[];
  /** When the status changes by the clock alone (an all-clear stops being shown), or null. */
  validUntil: Date | null;
}

type StatusInput = Pick<PublicAlert, 'kind' | 'state' | 'allClearAt' | 'createdAt'>;

const loudness: Record<PublicAlert['kind'], number> = { emergency: 0, operations: 1, test: 2, exercise: 2 };

const isDrill = (alert: Pick<PublicAlert, 'kind'>) => alert.kind === 'test' || alert.kind === 'exercise';

/**
 * The status at `now` of the alerts on one public channel (the page's `onPage` alerts, the
 * displays' `onSignage` ones): the one policy the page, its JSON and the signage view share.
 * Drills never make it look like an emergency, and their all-clears never say "All clear" (there
 * was nothing to clear): once over, a drill leaves normal operations. A real all-clear is shown for
 * `allClearShownHours` after it was sent; an alert closed without one is simply over.
 */
export function siteStatus<A extends StatusInput>(
  alerts: readonly A[],
  now: Date,
  allClearShownHours: number,
): { state: SiteState; active: A[]; recentAllClears: A[]; shown: A[]; validUntil: Date | null } {
  const shownMs = allClearShownHours * 3_600_000;
  const active = alerts
    .filter((a) => a.state === 'active')
    .sort((a, b) => loudness[a.kind] - loudness[b.kind] || b.createdAt.getTime() - a.createdAt.getTime());
  const recentAllClears = alerts
    .filter(
      (a) =>
        !isDrill(a) &&
        a.state === 'all_clear' &&
        a.allClearAt !== null &&
        a.allClearAt.getTime() <= now.getTime() &&
        now.getTime() - a.allClearAt.getTime() < shownMs,
    )
    .sort((a, b) => b.allClearAt!.getTime() - a.allClearAt!.getTime());
  const ends = recentAllClears.map((a) => a.allClearAt!.getTime() + shownMs);
  const validUntil = ends.length > 0 ? new Date(Math.min(...ends)) : null;
  const shown = [...active.filter((a) => !isDrill(a)), ...recentAllClears, ...active.filter(isDrill)];
  return { state: stateOf(active, recentAllClears), active, recentAllClears, shown, validUntil };
}

function stateOf(active: readonly StatusInput[], recentAllClears: readonly StatusInput[]): SiteState {
  if (active.some((a) => a.kind === 'emergency')) return 'emergency';
  if (active.some((a) => a.kind === 'operations')) return 'operations';
  if (recentAllClears.length > 0) return 'all_clear';
  if (active.length > 0) return 'test';
  return 'normal';
}

/**
 * True while displays and CAP consumers should still hear about an alert: it is in force, or its
 * last message (an all-clear, say) is younger than the all-clear window, so they can take it down.
 */
export function isCurrent(
  alert: Pick<PublicAlert, 'state' | 'latest' | 'closedAt'>,
  now: Date,
  allClearShownHours: number,
): boolean {
  if (alert.state === 'active') return true;
  const last = Math.max(alert.latest.sentAt.getTime(), alert.closedAt?.getTime() ?? 0);
  return now.getTime() - last < allClearShownHours * 3_600_000;
}
