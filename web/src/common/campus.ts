import type { ConsoleSettings } from '../session/session-types';
import { setCampusTimeZone } from './format';

/**
 * What the console takes from the campus's profile once its settings load: the time zone every
 * time is shown in, and the institution's colours (CSS custom properties of styles.css).
 */
export function applyCampusSettings(settings: ConsoleSettings): void {
  setCampusTimeZone(settings.timezone);
  const brand = settings.branding;
  const root = document.documentElement.style;
  root.setProperty('--brand', brand.primaryColour);
  root.setProperty('--brand-accent', brand.accentColour);
}
