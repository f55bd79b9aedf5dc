import { html, type SafeHtml } from '../platform/http/html.js';
import type { Profile } from '../platform/profile.js';
import { activeAlertCard, alertListItem } from './alert-view.js';
import { publicPage } from './public-frame.js';
import { withWholePhones } from './phone-numbers.js';
import { sitePhrases } from './public-phrases.js';
import { relativeLink, sitePaths } from './public-paths.js';
import { localTime, registrationUrl, type SiteContext } from './site-context.js';

type Contact = Profile['emergencyContacts'][number];

const telLink = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;

function contactItem(contact: Contact, lang: string): SafeHtml {
  const t = sitePhrases(lang);
  const own = contact.translations?.[lang];
  // The contact's words in this language where the profile gives them (the name, the note, the place).
  const { name, note, location } = { ...contact, ...own };
  return html`<li>
    <strong>${name}</strong
    >${contact.phone ? html`: <a class="tel" href="${telLink(contact.phone)}">${contact.phone}</a>` : ''}${contact.campusPhone ? html` (${withWholePhones(t.campusPhone(contact.campusPhone))})` : ''}${contact.email ? html` · <a href="mailto:${contact.email}">${contact.email}</a>` : ''}${location ? html`<br />${withWholePhones(location)}` : ''}${note ? html`<br /><span class="meta">${withWholePhones(note)}</span>` : ''}
  </li>`;
}

function contacts(sc: SiteContext, lang: string): SafeHtml {
  const t = sitePhrases(lang);
  const all = sc.profile.emergencyContacts;
  const urgent = all.filter((c) => c.emergency);
  const other = all.filter((c) => !c.emergency);
  return html`<section class="card" aria-labelledby="contacts">
    <h2 id="contacts">${t.contacts}</h2>
    ${
      urgent.length > 0
        ? html`<h3>${t.emergencyContacts}</h3>
            <ul class="plain">
              ${urgent.map((c) => contactItem(c, lang))}
            </ul>`
        : ''
    }
    ${
      other.length > 0
        ? html`<h3>${t.otherContacts}</h3>
            <ul class="plain">
              ${other.map((c) => contactItem(c, lang))}
            </ul>`
        : ''
    }
  </section>`;
}

function registration(sc: SiteContext, lang: string): SafeHtml {
  const t = sitePhrases(lang);
  const url = registrationUrl(sc, lang);
  const program = sc.profile.institution.alertProgramName;
  return html`<section class="card" aria-labelledby="register">
    <h2 id="register">${t.register.heading}</h2>
    <p>${t.register.enrolled(program)}</p>
    ${url ? html`<p>${t.register.others} <a href="${url}">${t.register.link}</a></p>` : ''}
  </section>`;
}

/** The front page: the status banner, every alert in force, contacts, how to sign up, recent alerts. */
export function renderEmergencyPage(sc: SiteContext, lang: string): string {
  const t = sitePhrases(lang);
  const self = sitePaths.home(lang, sc.primary);
  const { status } = sc.site;
  const banner = t.status[status.state];
  const shownIds = new Set(status.shown.map((a) => a.id));
  const recent = sc.site.alerts
    .filter((a) => a.onPage && !shownIds.has(a.id))
    .slice(0, sc.profile.publicSite.recentAlerts);
  const updated = sc.site.updatedAt;
  const body = html`<section class="banner ${status.state}" aria-labelledby="status">
      <h1 id="status">${banner.title}</h1>
      <p>${banner.text}</p>
      ${updated ? html`<p>${t.lastChange}: <time datetime="${updated.toISOString()}">${localTime(sc, updated, lang)}</time></p>` : ''}
    </section>
    ${status.shown.map((a) => activeAlertCard(sc, a, lang, self))} ${contacts(sc, lang)}
    ${registration(sc, lang)}
    <section aria-labelledby="recent">
      <h2 id="recent">${t.recent}</h2>
      ${
        recent.length > 0
          ? html`<ul class="plain">
              ${recent.map((a) => alertListItem(sc, a, lang, self))}
            </ul>`
          : html`<p>${shownIds.size > 0 ? t.noEarlier : t.noRecent}</p>`
      }
      <p><a href="${relativeLink(self, sitePaths.archive({}, lang, sc.primary))}">${t.archive}</a></p>
    </section>`;
  return publicPage({
    sc,
    lang,
    self,
    title: `${sc.profile.institution.alertProgramName}: ${banner.title}`,
    body,
    inLanguage: (l) => sitePaths.home(l, sc.primary),
  });
}
