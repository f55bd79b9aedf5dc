import { useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError, errorMessage } from '../api/client';
import { SessionContext } from '../session/session-context';
import type { Place } from './send-types';

export interface Places {
  /** Every building, zone and residence hall of the campus; null until loaded. */
  places: Place[] | null;
  error: string | null;
  /** The operator's roles may not read the directory (directory.read). */
  forbidden: boolean;
  /** Load again after a failure. */
  retry: () => void;
}

const page = 500;
// The campus's places change rarely: loaded once per page and operator, shared by every composer.
let cached: { operatorId: string; places: Promise<Place[]> } | null = null;

async function loadAll(): Promise<Place[]> {
  const all: Place[] = [];
  for (;;) {
    const after = all.length > 0 ? `&after=${encodeURIComponent(all[all.length - 1]!.code)}` : '';
    const { locations } = await api<{ locations: Place[] }>(`/api/v1/locations?limit=${page}${after}`);
    all.push(...locations.map(({ code, name, kind }) => ({ code, name, kind })));
    if (locations.length < page) return all;
  }
}

/**
 * Every place of the campus (GET /api/v1/locations, page by page), so that matching a typed code
 * or name is instant and needs no request per keystroke.
 */
export function usePlaces(): Places {
  const [state, setState] = useState<Omit<Places, 'retry'>>({ places: null, error: null, forbidden: false });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setState({ places: null, error: null, forbidden: false });
    setAttempt((a) => a + 1);
  }, []);
  const session = useContext(SessionContext);
  const signIns = session?.generation ?? 0;
  const operatorId = session?.session.operator.id ?? '';
  useEffect(() => {
    let live = true;
    if (cached?.operatorId !== operatorId) cached = { operatorId, places: loadAll() };
    cached.places.then(
      (places) => live && setState({ places, error: null, forbidden: false }),
      (e: unknown) => {
        cached = null;
        if (!live) return;
        const forbidden = e instanceof ApiError && e.status === 403;
        setState({
          places: forbidden ? [] : null,
          error: forbidden ? null : `The directory could not be loaded: ${errorMessage(e)}`,
          forbidden,
        });
      },
    );
    return () => {
      live = false;
    };
  }, [signIns, attempt, operatorId]);
  return { ...state, retry };
}

/** The places matching a typed code or part of a name: exact code first, then prefixes, then the rest. */
export function matchPlaces(places: Place[], query: string, limit: number): Place[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const score = (p: Place): number => {
    const code = p.code.toLowerCase();
    const name = p.name.toLowerCase();
    if (code === q) return 0;
    if (code.startsWith(q)) return 1;
    if (name.startsWith(q) || name.includes(` ${q}`) || name.includes(`(${q}`)) return 2;
    if (code.includes(q) || name.includes(q)) return 3;
    return 9;
  };
  return places
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s < 9)
    .sort((a, b) => a.s - b.s || a.p.code.length - b.p.code.length || a.p.code.localeCompare(b.p.code))
    .slice(0, limit)
    .map((x) => x.p);
}
