import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { placeText } from './draft';
import { FieldError } from './FieldError';
import type { Place } from './send-types';
import { matchPlaces, usePlaces } from './use-places';

interface Option {
  key: string;
  label: string;
  detail: string;
  pick: () => void;
}

interface Props {
  places: Place[];
  everyone: boolean;
  onAdd: (place: Place) => void;
  onEveryone: () => void;
  onRemove: (code: string) => void;
  onRemoveEveryone: () => void;
  /** True from an Enter pressed before the matches came until it has picked one (or found none). */
  onPicking: (picking: boolean) => void;
  error?: string;
}

const kindWords: Record<string, string> = {
  building: 'building',
  zone: 'zone',
  residence_hall: 'residence hall',
};
const everyoneWords = ['everyone', 'campus', 'campus-wide', 'all', 'whole campus'];

/**
 * Who receives the alert, as an ARIA combobox (APG, list autocomplete with the first match
 * highlighted): type a code or part of a name, Enter takes the highlighted match (or, pressed
 * while the directory is still loading, the best match once it is there), arrows move, Escape closes. Several
 * places can be chosen; "Everyone on campus" is an option of its own.
 */
export function LocationCombobox({
  places,
  everyone,
  onAdd,
  onEveryone,
  onRemove,
  onRemoveEveryone,
  onPicking,
  error,
}: Props) {
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const directory = usePlaces();
  const pendingPick = useRef<string | null>(null);
  const q = query.trim();

  const loaded = directory.places !== null;
  const optionsFor = (all: Place[] | null): Option[] => {
    const options: Option[] = [];
    const lower = q.toLowerCase();
    const everyoneOption: Option = {
      key: 'everyone',
      label: 'Everyone on campus',
      detail: 'campus-wide',
      pick: () => choose(null),
    };
    // First in an empty box; otherwise after the places, so "a" + Enter never means the whole campus.
    if (!everyone && lower === '') options.push(everyoneOption);
    const chosen = new Set(places.map((p) => p.code.toUpperCase()));
    const chosenCount = chosen.size;
    for (const place of matchPlaces(all ?? [], q, 8 + chosenCount)) {
      if (chosen.has(place.code.toUpperCase())) continue;
      options.push({
        key: place.code,
        label: `${place.code} — ${place.name}`,
        detail: kindWords[place.kind] ?? place.kind,
        pick: () => choose(place),
      });
    }
    if (!everyone && lower.length >= 2 && everyoneWords.some((w) => w.startsWith(lower)))
      options.push(everyoneOption);
    if (directory.forbidden && /^[A-Za-z0-9][A-Za-z0-9. -]{0,39}$/.test(q) && !chosen.has(q.toUpperCase()))
      options.push({
        key: `code:${q}`,
        label: `Use the code “${q.toUpperCase()}”`,
        detail: 'your roles cannot search the directory',
        pick: () => choose({ code: q.toUpperCase(), name: q.toUpperCase(), kind: 'building' }),
      });
    return options;
  };
  const options = optionsFor(directory.places);
  const shown = open && (options.length > 0 || q !== '');

  const cancelPending = () => {
    if (pendingPick.current === null) return;
    pendingPick.current = null;
    onPicking(false);
  };
  function choose(place: Place | null) {
    cancelPending();
    if (place) onAdd(place);
    else onEveryone();
    setAnnouncement(place ? `Added ${placeText(place)}.` : 'Everyone on campus chosen.');
    setQuery('');
    setOpen(false);
    setActive(0);
  }
  // An Enter pressed while the directory was still loading takes the best match once it is there.
  useEffect(() => {
    if (!loaded || pendingPick.current === null) return;
    if (pendingPick.current === q && options[0]) options[0].pick();
    else {
      pendingPick.current = null;
      onPicking(false);
    }
  });

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (options.length === 0 ? 0 : (a + step + options.length) % options.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!q && !open) return;
      const option = options[Math.min(active, options.length - 1)];
      if (loaded || !q) option?.pick();
      else if (pendingPick.current !== q) {
        pendingPick.current = q;
        onPicking(true);
      }
    } else if (event.key === 'Escape') {
      if (open) setOpen(false);
      else setQuery('');
    }
  }

  const status = !shown
    ? announcement
    : q && !loaded
      ? (directory.error ?? 'Loading the buildings, zones and residence halls…')
      : options.length === 0
        ? `No building, zone or residence hall matches “${q}”. Try its number or part of its name.`
        : `${options.length} ${options.length === 1 ? 'match' : 'matches'}; ${options[Math.min(active, options.length - 1)]!.label} is highlighted. Enter chooses it; the arrow keys move.`;
  const activeId =
    shown && options.length > 0 ? `${id}-opt-${Math.min(active, options.length - 1)}` : undefined;

  return (
    <div className="combobox">
      <label htmlFor="where-search">Who receives it: building, zone or residence hall</label>
      <p className="hint" id={`${id}-hint`}>
        Type a number or a name (W20, Stratton), then Enter. Choose several if needed, or Everyone on campus.
      </p>
      <FieldError id="where-search" message={error} />
      <div className="combobox-field">
        <input
          id="where-search"
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={shown && options.length > 0}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-describedby={`${id}-hint${error ? ' where-search-error' : ''}`}
          aria-invalid={error ? true : undefined}
          value={query}
          onChange={(e) => {
            cancelPending();
            setQuery(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onClick={() => setOpen(true)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching places"
          className="listbox"
          hidden={!shown || options.length === 0}
        >
          {options.map((option, i) => (
            <li
              key={option.key}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === Math.min(active, options.length - 1)}
              className="option"
              onMouseDown={(e) => e.preventDefault()}
              onClick={option.pick}
            >
              <span className="option-label">{option.label}</span>{' '}
              <span className="option-detail">{option.detail}</span>
            </li>
          ))}
        </ul>
      </div>
      {directory.error && (
        <p className="field-error">
          {directory.error}{' '}
          <button type="button" onClick={directory.retry}>
            Try again
          </button>
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {shown && status && options.length === 0 && (
        <p className="hint" aria-hidden="true">
          {status}
        </p>
      )}
      {(everyone || places.length > 0) && (
        <ul className="chips" aria-label="Chosen">
          {everyone && (
            <li className="chip">
              Everyone on campus{' '}
              <button type="button" aria-label="Remove Everyone on campus" onClick={onRemoveEveryone}>
                ✕
              </button>
            </li>
          )}
          {places.map((p) => (
            <li key={p.code} className="chip">
              {placeText(p)}{' '}
              <button type="button" aria-label={`Remove ${placeText(p)}`} onClick={() => onRemove(p.code)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
