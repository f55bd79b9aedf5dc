import { alertKinds } from '../alerts/alerts.tables.js';
import { html, type SafeHtml } from '../platform/http/html.js';
import { alertListItem } from './alert-view.js';
import { publicPage } from './public-frame.js';
import { sitePhrases } from './public-phrases.js';
import { relativeLink, sitePaths, type ArchiveFilter } from './public-paths.js';
import type { PublicAlert } from './public-alert.types.js';
import type { SiteContext } from './site-context.js';

/** The year an alert was sent, in the institution's time zone. */
function alertYear(alert: PublicAlert, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(alert.createdAt));
}

/** The alerts the archive lists (those sent to the public page) that match a filter. */
function archivedAlerts(sc: SiteContext, filter: ArchiveFilter): PublicAlert[] {
  const zone = sc.profile.institution.timezone;
  return sc.site.alerts.filter(
    (a) =>
      a.onPage &&
      (filter.kind === undefined || a.kind === filter.kind) &&
      (filter.year === undefined || alertYear(a, zone) === filter.year),
  );
}

/** The years that have alerts, newest first. */
export function archiveYears(sc: SiteContext): number[] {
  const zone = sc.profile.institution.timezone;
  const years = new Set(sc.site.alerts.filter((a) => a.onPage).map((a) => alertYear(a, zone)));
  return [...years].sort((a, b) => b - a);
}

/** Every archive page there is: all, each year, each kind, each year and kind. */
export function archiveFilters(sc: SiteContext): ArchiveFilter[] {
  const years = [undefined, ...archiveYears(sc)];
  const kinds = [undefined, ...alertKinds];
  return years.flatMap((year) =>
    kinds.map((kind) => ({ ...(year ? { year } : {}), ...(kind ? { kind } : {}) })),
  );
}

function facets(sc: SiteContext, filter: ArchiveFilter, lang: string, self: string): SafeHtml {
  const t = sitePhrases(lang);
  const option = (target: ArchiveFilter, label: string | number, current: boolean) =>
    current
      ? html`<strong aria-current="page">${label}</strong>`
      : html`<a href="${relativeLink(self, sitePaths.archive(target, lang, sc.primary))}">${label}</a>`;
  const years = archiveYears(sc);
  return html`<nav aria-label="${t.filterYear}" class="facets">
      <span>${t.filterYear}: </span>
      ${option({ kind: filter.kind }, t.all, filter.year === undefined)}
      ${years.map((y) => option({ year: y, kind: filter.kind }, y, filter.year === y))}
    </nav>
    <nav aria-label="${t.filterKind}" class="facets">
      <span>${t.filterKind}: </span>
      ${option({ year: filter.year }, t.all, filter.kind === undefined)}
      ${alertKinds.map((k) => option({ year: filter.year, kind: k }, t.kinds[k], filter.kind === k))}
    </nav>`;
}

/** An archive page: filters by year and type (links, so every combination is a file), then the alerts. */
export function renderArchivePage(sc: SiteContext, filter: ArchiveFilter, lang: string): string {
  const t = sitePhrases(lang);
  const self = sitePaths.archive(filter, lang, sc.primary);
  const alerts = archivedAlerts(sc, filter);
  const label = [filter.year, filter.kind && t.kinds[filter.kind]].filter(Boolean).join(', ');
  const body = html`<p><a href="${relativeLink(self, sitePaths.home(lang, sc.primary))}">${t.home}</a></p>
    <h1>${t.archiveHeading}${label ? `: ${label}` : ''}</h1>
    <p>${t.archiveIntro(sc.profile.institution.alertProgramName)}</p>
    ${facets(sc, filter, lang, self)}
    <p class="meta">${t.alertCount(alerts.length)}</p>
    ${
      alerts.length > 0
        ? html`<ul class="plain">
            ${alerts.map((a) => alertListItem(sc, a, lang, self))}
          </ul>`
        : html`<p>${t.noneFound}</p>`
    }`;
  return publicPage({
    sc,
    lang,
    self,
    title: `${t.archiveHeading}${label ? `: ${label}` : ''}: ${sc.profile.institution.alertProgramName}`,
    body,
    inLanguage: (l) => sitePaths.archive(filter, l, sc.primary),
  });
}
