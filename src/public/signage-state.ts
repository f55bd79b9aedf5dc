import { createHash } from 'node:crypto';
import { levelColors, type AlertLevel } from '../alerts/rendering/level.js';
import { signageOf } from './public-content.js';
import { sitePhrases } from './public-phrases.js';
import type { SiteContext } from './site-context.js';

/** One alert on a display. */
interface SignageItem {
  alertId: string;
  level: AlertLevel;
  headline: string;
  body: string;
  actions: string;
  background: string;
  foreground: string;
  updatedAt: string;
}

/** What a display shows: the loudest current alert big, the others below, or the calm default. */
export interface SignageState {
  /** Changes exactly when anything shown does. */
  version: string;
  lang: string;
  program: string;
  current: SignageItem | null;
  others: SignageItem[];
  calm: { headline: string; body: string; background: string; foreground: string };
}

/**
 * The signage state in a language, by the page's status policy over the alerts sent to signage:
 * real alerts in force, real all-clears within the window, drills in force; otherwise the calm
 * default (a drill's all-clear and an alert closed without an all-clear leave the display calm).
 */
export function signageState(
  sc: SiteContext,
  lang: string,
): Omit<SignageState, 'version'> & { version: string } {
  const items = sc.site.signage.shown.map((alert): SignageItem => {
    const display = signageOf(sc, alert, lang);
    return {
      alertId: alert.id,
      level: display.level,
      headline: display.headline,
      body: display.body,
      actions: display.actions,
      background: display.color.background,
      foreground: display.color.foreground,
      updatedAt: display.updatedAt,
    };
  });
  const defaults = sc.profile.publicSite.signageDefault;
  const state = {
    lang,
    program: sc.profile.institution.alertProgramName,
    current: items[0] ?? null,
    others: items.slice(1),
    calm: {
      headline: sc.profile.institution.alertProgramName,
      body: defaults[lang] ?? defaults[sc.primary] ?? sitePhrases(lang).signageCalm,
      background: levelColors.info.background,
      foreground: levelColors.info.foreground,
    },
  };
  const version = createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 16);
  return { version, ...state };
}
