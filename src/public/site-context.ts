import type { MessageContent } from '../alerts/alerts.tables.js';
import { formatLocalTime } from '../alerts/rendering/time.js';
import type { AppContext } from '../platform/context.js';
import type { Profile } from '../platform/profile.js';
import type { PublicSite } from './public-site.model.js';

/** What every public file is rendered from: the loaded site and the settings that shape it. */
export interface SiteContext {
  site: PublicSite;
  /** For the channel renderers (CAP, signage), which read the profile and configuration. */
  app: Pick<AppContext, 'profile' | 'config'>;
  profile: Profile;
  /** The site's languages, the first is the default. */
  languages: string[];
  primary: string;
  /** Absolute base of the public site (feeds need absolute links). */
  siteUrl: string;
  /** Absolute base of the Tocsin server (registration and sign-in live only there). */
  serverUrl: string;
}

/** The context for rendering `site` with this process's profile and configuration. */
export function siteContextOf(ctx: Pick<AppContext, 'profile' | 'config'>, site: PublicSite): SiteContext {
  return {
    site,
    app: { profile: ctx.profile, config: ctx.config },
    profile: ctx.profile,
    languages: ctx.profile.alerts.languages,
    primary: ctx.profile.alerts.languages[0]!,
    siteUrl: ctx.config.publicSite.url,
    serverUrl: ctx.config.publicUrl,
  };
}

/** One message's text in a language, or in the first language it has, saying which it is. */
export function textIn(
  content: MessageContent,
  language: string,
  primary: string,
): { what: string; where: string; actions: string; lang: string } {
  const lang = content[language] ? language : content[primary] ? primary : Object.keys(content)[0]!;
  return { ...content[lang]!, lang };
}

/** A time for people: the institution's zone, the page's language. */
export function localTime(sc: SiteContext, date: Date, language: string): string {
  return formatLocalTime(date, sc.profile.institution.timezone, language);
}

/** Where people sign up for alerts: this server's page, or the institution's when self-registration is off. */
export function registrationUrl(sc: SiteContext, language: string): string | null {
  if (sc.profile.directory.extendedCommunitySelfRegistration)
    return `${sc.serverUrl}/register${language === sc.primary ? '' : `?lang=${language}`}`;
  return sc.profile.institution.extendedCommunityUrl ?? null;
}
