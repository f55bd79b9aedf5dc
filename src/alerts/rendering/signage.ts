import type { AlertContent } from './alert-content.js';
import { levelColors, levelFor, type AlertLevel, type ColorPair } from './level.js';
import { fallbackWarning, markersFor, phrasesFor } from './phrases.js';
import { joinParts, oneLine, safeHttpUrl, sentence } from './text.js';

/** Plain JSON for digital signage and desktop-alert clients. */
export interface SignageRendering {
  alertId: string;
  sequence: number;
  language: string;
  level: AlertLevel;
  headline: string;
  body: string;
  actions: string;
  /** Background/foreground pair with at least 7:1 contrast. */
  color: ColorPair;
  link: string | null;
  updatedAt: string;
  expiresAt: string | null;
  warnings: string[];
}

/** The display for an alert: level and colours, a short headline (prefix, markers, hazard), body and actions. */
export function renderSignage(content: AlertContent): SignageRendering {
  const { phrases, fallback } = phrasesFor(content.language);
  const level = levelFor(content);
  const markers = markersFor(content, phrases).map((marker) => `${marker} -`);
  const drill =
    content.kind === 'test' || content.kind === 'exercise' ? phrases.drillNotice[content.kind] : undefined;
  const where = sentence(content.where);
  return {
    alertId: content.id,
    sequence: content.sequence,
    language: content.language,
    level,
    headline: joinParts([oneLine(content.institution.prefix), ...markers, oneLine(content.hazard.title)]),
    body: joinParts([drill, sentence(content.what), where && `${phrases.labels.where}: ${where}`]),
    actions: sentence(content.actions),
    color: { ...levelColors[level] },
    link: safeHttpUrl(content.links.page) ?? null,
    updatedAt: content.sentAt.toISOString(),
    expiresAt: content.expiresAt?.toISOString() ?? null,
    warnings: fallback ? [fallbackWarning(content.language)] : [],
  };
}
