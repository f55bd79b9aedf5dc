import { levelColors } from '../alerts/rendering/level.js';
import { brandOf, faviconDataUri, systemFontStack, type Brand } from '../platform/brand.js';
import { html, type SafeHtml } from '../platform/http/html.js';
import { languageName, sitePhrases } from './public-phrases.js';
import { relativeLink, sitePaths } from './public-paths.js';
import type { SiteContext } from './site-context.js';

const c = levelColors;
/**
 * The public pages' one style sheet, inline (one request, nothing third-party): system fonts,
 * the institution's colours (a band above the header, the links), rem sizes and wrapping so the
 * page reads at 200% zoom and on a 320-pixel phone; banner colours are the alert levels' pairs (7:1
 * contrast or more).
 */
const styles = (brand: Brand) => `
*{box-sizing:border-box}
body{font:1.0625rem/1.5 ${systemFontStack};margin:0;background:#f4f4f4;color:#111;overflow-wrap:anywhere}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
header{background:#1a1a1a;color:#fff;padding:.75rem 0;border-top:6px solid ${brand.primaryColour}}
header p{margin:0}.program{font-weight:700;font-size:1.25rem}
header a{color:#fff}nav ul{list-style:none;padding:0;margin:.25rem 0 0;display:flex;flex-wrap:wrap;gap:1rem}
nav a{display:inline-block;min-height:24px;padding:.1rem 0}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:1}
main{padding:1rem 0 2rem}h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin:1.5rem 0 .5rem}h3{font-size:1.1rem;margin:1rem 0 .25rem}
a{color:${brand.primaryColour}}a:focus{outline:3px solid #0b57d0;outline-offset:2px}header a:focus{outline-color:#fff}
.banner{padding:1rem;border-radius:6px;margin:1rem 0}.banner h1,.banner p{margin:.25rem 0}.banner a{color:inherit}
.emergency{background:${c.emergency.background};color:${c.emergency.foreground}}
.operations{background:${c.warning.background};color:${c.warning.foreground}}
.all_clear{background:${c.all_clear.background};color:${c.all_clear.foreground}}
.test{background:${c.test.background};color:${c.test.foreground}}
.normal{background:${c.info.background};color:${c.info.foreground}}
.card{background:#fff;border:1px solid #bbb;border-radius:6px;padding:1rem;margin:1rem 0}
.card h2,.card h3{margin-top:0}
.badge{display:inline-block;font-size:.85rem;font-weight:700;padding:0 .4rem;border-radius:3px;border:2px solid currentColor;margin-right:.4rem}
.drill{background:#fff3cd;color:#111;border-left:6px solid ${c.test.background};padding:.5rem .75rem;font-weight:700}
dl{margin:.5rem 0}dt{font-weight:700}dd{margin:0 0 .5rem}
ol.timeline{list-style:none;padding:0;margin:0}ol.timeline>li{border-left:4px solid #555;padding:.25rem 0 .25rem .75rem;margin:.5rem 0}
ul.plain{padding-left:1.2rem}ul.plain li{margin:.3rem 0}
.facets a,.facets strong{display:inline-block;margin:.15rem .6rem .15rem 0;min-height:24px}
.meta{color:#444;font-size:.95rem}
.tel{white-space:nowrap;overflow-wrap:normal}
footer{border-top:1px solid #bbb;padding:1rem 0 2rem;font-size:.95rem}
`;

export interface FramedPage {
  sc: SiteContext;
  lang: string;
  /** This file's site path, for relative links. */
  self: string;
  title: string;
  body: SafeHtml;
  /** The same page in another language. */
  inLanguage: (lang: string) => string;
}

/** A whole public page: header with language links, the body, footer with feeds and sign-in. */
export function publicPage(page: FramedPage): string {
  const { sc, lang, self } = page;
  const t = sitePhrases(lang);
  const link = (to: string) => relativeLink(self, to);
  const program = sc.profile.institution.alertProgramName;
  const languages = sc.languages.filter((l) => l !== lang);
  const brand = brandOf(sc.profile.branding);
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title}</title>
        <link rel="icon" href="${faviconDataUri(brand)}" type="image/svg+xml" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="${program} (Atom)"
          href="${link(sitePaths.atom)}"
        />
        <link
          rel="alternate"
          type="application/rss+xml"
          title="${program} (RSS)"
          href="${link(sitePaths.rss)}"
        />
        <style>
          ${styles(brand)}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">${t.skip}</a>
        <header>
          <div class="wrap">
            <p class="program"><a href="${link(sitePaths.home(lang, sc.primary))}">${program}</a></p>
            <p>${t.subtitle(sc.profile.institution.name)}</p>
            ${
              languages.length > 0
                ? html`<nav aria-label="${t.languages}">
                    <ul>
                      ${languages.map(
                        (l) =>
                          html`<li>
                            <a href="${link(page.inLanguage(l))}" lang="${l}" hreflang="${l}"
                              >${languageName(l)}</a
                            >
                          </li>`,
                      )}
                    </ul>
                  </nav>`
                : ''
            }
          </div>
        </header>
        <main id="main" class="wrap">${page.body}</main>
        <footer>
          <div class="wrap">
            <p>
              ${t.feeds}: <a href="${link(sitePaths.atom)}">${t.feedAtom}</a> ·
              <a href="${link(sitePaths.rss)}">${t.feedRss}</a> ·
              <a href="${link(sitePaths.capFeed)}">${t.feedCap}</a> ·
              <a href="${link(sitePaths.json)}">${t.feedJson}</a>
            </p>
            <p>
              <a href="${link(sitePaths.archive({}, lang, sc.primary))}">${t.archive}</a> ·
              <a href="${sc.serverUrl}/login">${t.signIn}</a>
            </p>
          </div>
        </footer>
      </body>
    </html> `.value;
}
