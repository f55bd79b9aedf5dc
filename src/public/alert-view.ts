import { phrasesFor } from '../alerts/rendering/phrases.js';
import { html, type SafeHtml } from '../platform/http/html.js';
import { withWholePhones } from './phone-numbers.js';
import { languageName, sitePhrases } from './public-phrases.js';
import { relativeLink, sitePaths } from './public-paths.js';
import type { PublicAlert, PublicMessage } from './public-alert.types.js';
import { localTime, textIn, type SiteContext } from './site-context.js';

const isDrill = (alert: PublicAlert) => alert.kind === 'test' || alert.kind === 'exercise';

/**
 * An alert's title in a language: the template's name in the primary language; in another, the
 * first sentence of the alert's first message in that language (the template's words there, or
 * the operator's), unless that message only says the details are in the primary language.
 */
export function alertTitle(sc: SiteContext, alert: PublicAlert, lang: string): string {
  if (lang === sc.primary) return alert.title;
  const what = alert.messages[0]?.content[lang]?.what.trim();
  const fallback = sc.profile.alerts.detailsInPrimaryLanguage[lang];
  if (!what || (fallback && what.startsWith(fallback))) return alert.title;
  const first = (/^.*?[.!?](?=\s|$)/.exec(what)?.[0] ?? what).replace(/\.$/, '');
  return first.length > 100 ? `${first.slice(0, 99).trimEnd()}…` : first;
}

/** The badges of an alert: its kind always, its state when it is over (a drill is never "All clear"). */
export function alertBadges(alert: PublicAlert, lang: string): SafeHtml {
  const t = sitePhrases(lang);
  const state = isDrill(alert) && alert.state === 'all_clear' ? 'ended' : alert.state;
  return html`<span class="badge">${t.kinds[alert.kind]}</span><span class="badge">${t.states[state]}</span>`;
}

/** A message's type in words; a drill's all-clear is its end, not an "All clear" (nothing was cleared). */
function messageTypeWord(alert: PublicAlert, message: PublicMessage, lang: string): string {
  const t = sitePhrases(lang);
  return isDrill(alert) && message.type === 'all_clear' ? t.states.ended : t.messageTypes[message.type];
}

/** "This is a test. This is only a test." for drills, so nobody mistakes one for an emergency. */
export function drillNotice(alert: PublicAlert, lang: string): SafeHtml | '' {
  if (!isDrill(alert)) return '';
  const notice = phrasesFor(lang).phrases.drillNotice[alert.kind as 'test' | 'exercise'];
  return html`<p class="drill">${notice}</p>`;
}

/** What / where / what to do of one message, in the page's language or the one it was written in. */
function messageText(sc: SiteContext, message: PublicMessage, lang: string): SafeHtml {
  const t = sitePhrases(lang);
  const text = textIn(message.content, lang, sc.primary);
  const other = text.lang !== lang;
  return html`${other ? html`<p class="meta">${t.onlyIn(languageName(text.lang))}</p>` : ''}
<dl${other ? html` lang="${text.lang}"` : ''}>
<dt>${t.what}</dt><dd>${withWholePhones(text.what)}</dd>
${
  text.where
    ? html`<dt>${t.where}</dt>
        <dd>${withWholePhones(text.where)}</dd>`
    : ''
}
<dt>${t.actions}</dt><dd>${withWholePhones(text.actions)}</dd>
</dl>`;
}

/** Every message of an alert, newest first, each with its time and its CAP document. */
export function timeline(sc: SiteContext, alert: PublicAlert, lang: string, self: string): SafeHtml {
  const t = sitePhrases(lang);
  const messages = [...alert.messages].reverse();
  return html`<ol class="timeline">
    ${messages.map(
      (m) =>
        html`<li>
          <h3>
            ${messageTypeWord(alert, m, lang)}:
            <time datetime="${m.sentAt.toISOString()}">${localTime(sc, m.sentAt, lang)}</time>
          </h3>
          ${messageText(sc, m, lang)}
          <p class="meta">
            <a href="${relativeLink(self, sitePaths.capMessage(alert.id, m.sequence))}">${t.capDocument}</a>
          </p>
        </li>`,
    )}
  </ol>`;
}

/** An alert in force on the front page: title, badges, the latest message, then the earlier ones. */
export function activeAlertCard(sc: SiteContext, alert: PublicAlert, lang: string, self: string): SafeHtml {
  const t = sitePhrases(lang);
  const earlier = alert.messages.length > 1;
  return html`<article class="card" aria-labelledby="a-${alert.id}">
    <h2 id="a-${alert.id}">${alertBadges(alert, lang)}${alertTitle(sc, alert, lang)}</h2>
    ${drillNotice(alert, lang)}
    <p class="meta">
      ${messageTypeWord(alert, alert.latest, lang)} · ${t.updated}
      <time datetime="${alert.latest.sentAt.toISOString()}">${localTime(sc, alert.latest.sentAt, lang)}</time>
    </p>
    ${messageText(sc, alert.latest, lang)}
    ${earlier ? html`<p><a href="${relativeLink(self, sitePaths.alert(alert.id, lang, sc.primary))}">${t.updates} (${alert.messages.length})</a></p>` : html`<p><a href="${relativeLink(self, sitePaths.alert(alert.id, lang, sc.primary))}">${t.permalink}</a></p>`}
  </article>`;
}

/** One line of a list of alerts: date, badges, title linking to the alert's page. */
export function alertListItem(sc: SiteContext, alert: PublicAlert, lang: string, self: string): SafeHtml {
  return html`<li>
    <a href="${relativeLink(self, sitePaths.alert(alert.id, lang, sc.primary))}"
      >${alertTitle(sc, alert, lang)}</a
    >
    ${alertBadges(alert, lang)}
    <span class="meta"
      ><time datetime="${alert.createdAt.toISOString()}">${localTime(sc, alert.createdAt, lang)}</time></span
    >
  </li>`;
}
