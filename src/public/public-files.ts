import { renderAlertPage } from './alert-page.js';
import { archiveFilters, archiveYears, renderArchivePage } from './archive-page.js';
import { renderCapFeed } from './cap-feed.js';
import { renderEmergencyPage } from './emergency-page.js';
import { renderAtomFeed, renderRssFeed } from './feeds.js';
import { capMessagesOf, capOf, latestCapMessage } from './public-content.js';
import { alertJson, siteJson } from './public-json.js';
import { parsePublicPath, sitePaths, type PublicPath } from './public-paths.js';
import { renderSignagePage, signageScript } from './signage-page.js';
import { signageState } from './signage-state.js';
import type { SiteContext } from './site-context.js';

/** One file of the public site, ready to serve or write. */
export interface PublicFileContent {
  contentType: string;
  body: string;
}

const types = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  cap: 'application/cap+xml; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

const json = (value: unknown): PublicFileContent => ({
  contentType: types.json,
  body: `${JSON.stringify(value)}\n`,
});

/**
 * Render the file a path names, or null when it names nothing (an unknown alert, a message it does
 * not have, an alert that never went to the page). `live`: served by Tocsin (the signage view may
 * use its event stream), not written to a static mirror.
 */
function renderPublicFile(sc: SiteContext, path: PublicPath, live: boolean): PublicFileContent | null {
  switch (path.file) {
    case 'home':
      return { contentType: types.html, body: renderEmergencyPage(sc, path.lang) };
    case 'archive':
      // Only years that have alerts have pages: the set of files stays finite.
      if (path.filter.year !== undefined && !archiveYears(sc).includes(path.filter.year)) return null;
      return { contentType: types.html, body: renderArchivePage(sc, path.filter, path.lang) };
    case 'alert': {
      const alert = sc.site.byId.get(path.id);
      return alert?.onPage ? { contentType: types.html, body: renderAlertPage(sc, alert, path.lang) } : null;
    }
    case 'alertJson': {
      const alert = sc.site.byId.get(path.id);
      return alert?.onPage ? json(alertJson(sc, alert)) : null;
    }
    case 'cap': {
      const alert = sc.site.byId.get(path.id);
      const message = !alert
        ? undefined
        : path.sequence === undefined
          ? latestCapMessage(alert)
          : capMessagesOf(alert).find((m) => m.sequence === path.sequence);
      return alert?.onCap && message ? { contentType: types.cap, body: capOf(sc, alert, message) } : null;
    }
    case 'atom':
      return { contentType: types.atom, body: renderAtomFeed(sc) };
    case 'rss':
      return { contentType: types.rss, body: renderRssFeed(sc) };
    case 'capFeed':
      return { contentType: types.atom, body: renderCapFeed(sc) };
    case 'json':
      return json(siteJson(sc));
    case 'signage':
      return {
        contentType: types.html,
        body: renderSignagePage(sc, signageState(sc, path.lang), path.lang, live),
      };
    case 'signageJson':
      return json(signageState(sc, path.lang));
    case 'signageScript':
      return { contentType: types.js, body: signageScript };
  }
}

/** Every file of the site, by path: what a static mirror holds. */
export function allPublicPaths(sc: SiteContext): string[] {
  const { languages, primary } = sc;
  const perLanguage = languages.flatMap((lang) => [
    sitePaths.home(lang, primary),
    sitePaths.signage(lang, primary),
    sitePaths.signageJson(lang, primary),
    ...archiveFilters(sc).map((filter) => sitePaths.archive(filter, lang, primary)),
    ...sc.site.alerts.filter((a) => a.onPage).map((a) => sitePaths.alert(a.id, lang, primary)),
  ]);
  const perAlert = sc.site.alerts.flatMap((a) => [
    ...(a.onPage ? [sitePaths.alertJson(a.id)] : []),
    ...(a.onCap
      ? [sitePaths.cap(a.id), ...capMessagesOf(a).map((m) => sitePaths.capMessage(a.id, m.sequence))]
      : []),
  ]);
  return [
    ...perLanguage,
    ...perAlert,
    sitePaths.atom,
    sitePaths.rss,
    sitePaths.capFeed,
    sitePaths.json,
    sitePaths.signageScript,
  ];
}

/** Render a site path given as text; null when it names no file. */
export function renderPublicPath(sc: SiteContext, file: string, live: boolean): PublicFileContent | null {
  const parsed = parsePublicPath(file, sc.languages);
  return parsed ? renderPublicFile(sc, parsed, live) : null;
}
