import { html } from '../platform/http/html.js';
import { alertBadges, alertTitle, drillNotice, timeline } from './alert-view.js';
import { publicPage } from './public-frame.js';
import { sitePhrases } from './public-phrases.js';
import { relativeLink, sitePaths } from './public-paths.js';
import type { PublicAlert } from './public-alert.types.js';
import { localTime, type SiteContext } from './site-context.js';

/** An alert's permanent page: its state and every message, newest first. */
export function renderAlertPage(sc: SiteContext, alert: PublicAlert, lang: string): string {
  const t = sitePhrases(lang);
  const self = sitePaths.alert(alert.id, lang, sc.primary);
  const link = (to: string) => relativeLink(self, to);
  const title = alertTitle(sc, alert, lang);
  const body = html`<p>
      <a href="${link(sitePaths.home(lang, sc.primary))}">${t.home}</a> ›
      <a href="${link(sitePaths.archive({}, lang, sc.primary))}">${t.archiveHeading}</a>
    </p>
    <article aria-labelledby="title">
      <h1 id="title">${alertBadges(alert, lang)}${title}</h1>
      ${drillNotice(alert, lang)}
      <p class="meta">
        ${t.sent}
        <time datetime="${alert.createdAt.toISOString()}">${localTime(sc, alert.createdAt, lang)}</time> ·
        <a href="${link(sitePaths.cap(alert.id))}">${t.capDocument}</a> ·
        <a href="${link(sitePaths.alertJson(alert.id))}">${t.feedJson}</a>
      </p>
      <h2>${t.updates}</h2>
      ${timeline(sc, alert, lang, self)}
    </article>`;
  return publicPage({
    sc,
    lang,
    self,
    title: `${title} (${t.kinds[alert.kind]}): ${sc.profile.institution.alertProgramName}`,
    body,
    inLanguage: (l) => sitePaths.alert(alert.id, l, sc.primary),
  });
}
