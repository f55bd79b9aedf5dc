import type { AlertKind } from '../alerts.tables.js';
import type { CapAlert, CapCategory, CapInfo } from './cap-alert.js';
import type { RelayDefaults } from './relay-defaults.types.js';

export type { RelayDefaults };

/** A hazard of the profile's catalogue, as far as choosing one needs. */
export interface CatalogueHazard {
  code: string;
  kinds: readonly AlertKind[];
}

// The sizes the alerts API accepts for an operator's own words.
export const relayTextLimits = { what: 300, where: 200, actions: 400, audienceReason: 1000 } as const;

// Events that name a hazard outright, before the category decides. Active threat comes only from
// here: a Security category alone (a police advisory, a civil danger warning) is not one.
const namedByEvent: Array<[RegExp, string]> = [
  [
    /\bactive (shooter|threat|assailant|attacker)\b|\bshooter\b|\barmed (person|subject|assailant)\b/i,
    'active_threat',
  ],
  [/\bevacuat/i, 'evacuate'],
  [/\bshelter[ -]in[ -]place\b/i, 'shelter_in_place'],
  [/\bhazardous materials?\b|\bhazmat\b|\bchemical\b|\bradiolog/i, 'hazardous_materials'],
];
const byCategory: Partial<Record<CapCategory, string>> = {
  Met: 'severe_weather',
  Fire: 'fire',
  CBRNE: 'hazardous_materials',
  Health: 'public_health',
  Infra: 'utility_outage',
};
// Events that hint at a hazard when the category did not decide.
const hintedByEvent: Array<[RegExp, string]> = [
  [/\butility\b|\bpower outage\b|\boutage\b/i, 'utility_outage'],
  [/\bpublic health\b|\boutbreak\b|\bboil water\b/i, 'public_health'],
  [/\bfire\b/i, 'fire'],
];
// The general template of each kind when nothing more specific fits.
const generalByKind: Record<AlertKind, string> = {
  emergency: 'shelter_in_place',
  operations: 'campus_closure',
  test: 'test',
  exercise: 'test',
};
// Never chosen as a fallback: both say something specific and wrong for an unknown hazard.
const neverGeneral = new Set(['active_threat', 'all_clear']);

/** The info block in the profile's primary language, else the first. */
export function primaryInfo(alert: CapAlert, language: string): CapInfo | null {
  const lang = language.toLowerCase();
  return alert.infos.find((i) => i.language.toLowerCase().startsWith(lang)) ?? alert.infos[0] ?? null;
}

/** Kind from the CAP status, and for actual alerts from severity and urgency. */
export function relayKind(alert: CapAlert, info: CapInfo | null): AlertKind | null {
  if (alert.status === 'Test') return 'test';
  if (alert.status === 'Exercise') return 'exercise';
  if (alert.status !== 'Actual') return null;
  const grave = ['Extreme', 'Severe'].includes(info?.severity ?? '');
  const soon = ['Immediate', 'Expected'].includes(info?.urgency ?? '');
  return grave && soon ? 'emergency' : 'operations';
}

function specificHazard(info: CapInfo | null): string | null {
  if (!info) return null;
  const named = namedByEvent.find(([pattern]) => pattern.test(info.event));
  if (named) return named[1];
  const category = info.categories.map((c) => byCategory[c]).find(Boolean);
  if (category) return category;
  return hintedByEvent.find(([pattern]) => pattern.test(info.event))?.[1] ?? null;
}

/** The catalogue hazard for this CAP info and kind: the specific one if it allows the kind, else a general one. */
export function relayHazard(
  info: CapInfo | null,
  kind: AlertKind,
  catalogue: readonly CatalogueHazard[],
): string | null {
  const fits = (code: string | null) =>
    code !== null && catalogue.some((h) => h.code === code && h.kinds.includes(kind));
  const specific = specificHazard(info);
  if (fits(specific)) return specific;
  if (fits(generalByKind[kind])) return generalByKind[kind];
  return catalogue.find((h) => h.kinds.includes(kind) && !neverGeneral.has(h.code))?.code ?? null;
}

/** Collapse white space and cut to `max` characters, marking a cut with an ellipsis. */
export function clip(text: string | undefined, max: number): string | undefined {
  const flat = text?.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The areas of an info block, each once, in the order given. */
function areaText(info: CapInfo | null): string | undefined {
  const areas = [...new Set((info?.areas ?? []).map((a) => a.areaDesc.trim()).filter(Boolean))];
  return areas.length > 0 ? areas.join('; ') : undefined;
}

/**
 * What a CAP message becomes as a Tocsin alert by default: its kind and catalogue hazard, what
 * (headline, else event), where (the area descriptions) and actions (the instruction).
 */
export function relayDefaults(
  alert: CapAlert,
  catalogue: readonly CatalogueHazard[],
  language: string,
): RelayDefaults {
  const info = primaryInfo(alert, language);
  const kind = relayKind(alert, info);
  const from = info?.senderName ?? alert.sender;
  return {
    kind,
    hazard: kind ? relayHazard(info, kind, catalogue) : null,
    what: clip(info?.headline ?? info?.event, relayTextLimits.what),
    where: clip(areaText(info), relayTextLimits.where),
    actions: clip(info?.instruction, relayTextLimits.actions),
    audienceReason: clip(
      `Relayed CAP ${alert.msgType.toLowerCase()} from ${from}${info ? `: ${info.event}` : ''} (${alert.sender} ${alert.identifier})`,
      relayTextLimits.audienceReason,
    )!,
  };
}
