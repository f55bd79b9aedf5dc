import { brandOf, faviconDataUri, systemFontStack } from '../platform/brand.js';
import { html } from '../platform/http/html.js';
import { phoneNumberPattern, withWholePhones } from './phone-numbers.js';
import { sitePaths } from './public-paths.js';
import type { SignageState } from './signage-state.js';
import { localTime, type SiteContext } from './site-context.js';

/** Huge type, high contrast, nothing to scroll: readable across a lobby. Colours come inline per state. */
const styles = `
*{box-sizing:border-box}html,body{height:100%;margin:0}
body{font-family:${systemFontStack};overflow-wrap:anywhere}
main{min-height:100%;padding:3vw 4vw;display:flex;flex-direction:column;justify-content:center;gap:2vh}
#program{font-size:clamp(1rem,2.5vw,3rem);font-weight:700;margin:0;letter-spacing:.05em;text-transform:uppercase}
h1{font-size:clamp(2rem,6.5vw,9rem);line-height:1.1;margin:0}
#body{font-size:clamp(1.25rem,3.6vw,5rem);line-height:1.25;margin:0}
#actions{font-size:clamp(1.25rem,3.6vw,5rem);line-height:1.25;margin:0;font-weight:700;border-top:.4vh solid currentColor;padding-top:1.5vh}
#others{list-style:none;margin:0;padding:0;font-size:clamp(1rem,2.2vw,3rem)}
#others li{padding:.5vh 1vw;margin-top:.5vh}
#updated{font-size:clamp(.9rem,1.6vw,2rem);margin:0}
#actions:empty,#others:empty{display:none}
.tel{white-space:nowrap;overflow-wrap:normal}
`;

/**
 * The full-screen view for campus displays. It is right without JavaScript; signage.js keeps it
 * current from server-sent events (`live`) or, where those are blocked or absent (the static
 * mirror), by polling signage.json.
 */
export function renderSignagePage(sc: SiteContext, state: SignageState, lang: string, live: boolean): string {
  const shown = state.current ?? { ...state.calm, actions: '', updatedAt: '' };
  const colors = `background:${shown.background};color:${shown.foreground}`;
  const events = live ? `signage/events?lang=${encodeURIComponent(lang)}` : '';
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${state.program}</title>
        <link rel="icon" href="${faviconDataUri(brandOf(sc.profile.branding))}" type="image/svg+xml" />
        <noscript><meta http-equiv="refresh" content="30" /></noscript>
        <style>
          ${styles}
        </style>
      </head>
      <body>
        <main
          id="display"
          style="${colors}"
          data-version="${state.version}"
          data-json="${sitePaths.signageJson(lang, sc.primary)}"
          data-events="${events}"
          aria-live="assertive"
        >
          <p id="program">${state.program}</p>
          <h1 id="headline">${shown.headline}</h1>
          <p id="body">${withWholePhones(shown.body)}</p>
          <p id="actions">${withWholePhones(shown.actions)}</p>
          <ul id="others">
            ${state.others.map((o) => html`<li style="background:${o.background};color:${o.foreground}">${o.headline}</li>`)}
          </ul>
          <p id="updated">
            ${
              state.current
                ? html`<time datetime="${state.current.updatedAt}"
                    >${localTime(sc, new Date(state.current.updatedAt), lang)}</time
                  >`
                : ''
            }
          </p>
        </main>
        <script src="${sitePaths.signageScript}" defer></script>
      </body>
    </html> `.value;
}

/**
 * The display's script: server-sent events first; polling signage.json every few seconds when the
 * stream fails (from its first error until it opens again), never opens, or goes silent (a proxy
 * that buffers it), so a display never freezes. Plain ES5 for old display browsers.
 */
export const signageScript = `(function () {
  var root = document.getElementById('display');
  if (!root) return;
  var version = root.getAttribute('data-version');
  var json = root.getAttribute('data-json');
  var events = root.getAttribute('data-events');
  var lastHeard = Date.now();
  var polling = false;
  function text(id, value) { var el = document.getElementById(id); if (el) el.textContent = value || ''; }
  // As the server renders it: phone numbers in a nowrap span, never broken across lines.
  function textWithPhones(id, value) {
    var el = document.getElementById(id);
    if (!el) return;
    while (el.firstChild) el.removeChild(el.firstChild);
    var phones = new RegExp(${JSON.stringify(phoneNumberPattern.source)}, 'g');
    var rest = value || '', last = 0, match;
    while ((match = phones.exec(rest))) {
      el.appendChild(document.createTextNode(rest.slice(last, match.index)));
      var span = document.createElement('span');
      span.className = 'tel';
      span.textContent = match[0];
      el.appendChild(span);
      last = match.index + match[0].length;
    }
    el.appendChild(document.createTextNode(rest.slice(last)));
  }
  function render(state) {
    if (!state || state.version === version) return;
    version = state.version;
    var shown = state.current || { headline: state.calm.headline, body: state.calm.body, actions: '',
      background: state.calm.background, foreground: state.calm.foreground, updatedAt: '' };
    root.style.background = shown.background;
    root.style.color = shown.foreground;
    root.setAttribute('data-version', version);
    text('headline', shown.headline);
    textWithPhones('body', shown.body);
    textWithPhones('actions', shown.actions);
    var updated = document.getElementById('updated');
    if (updated) updated.textContent = shown.updatedAt ? new Date(shown.updatedAt).toLocaleString(state.lang) : '';
    var others = document.getElementById('others');
    if (others) {
      while (others.firstChild) others.removeChild(others.firstChild);
      for (var i = 0; i < state.others.length; i++) {
        var li = document.createElement('li');
        li.textContent = state.others[i].headline;
        li.style.background = state.others[i].background;
        li.style.color = state.others[i].foreground;
        others.appendChild(li);
      }
    }
  }
  function poll() {
    var request = new XMLHttpRequest();
    request.open('GET', json);
    // Revalidate (If-None-Match, usually a 304) instead of trusting the browser's copy.
    request.setRequestHeader('Cache-Control', 'no-cache');
    request.onload = function () {
      if (request.status === 200) { try { render(JSON.parse(request.responseText)); } catch (e) {} }
    };
    request.send();
  }
  function startPolling() {
    if (polling) return;
    polling = setInterval(poll, 3000);
    poll();
  }
  function stopPolling() {
    if (!polling) return;
    clearInterval(polling);
    polling = false;
  }
  if (!events || typeof EventSource === 'undefined') { startPolling(); return; }
  var source = new EventSource(events);
  source.addEventListener('signage', function (e) { lastHeard = Date.now(); try { render(JSON.parse(e.data)); } catch (x) {} });
  source.addEventListener('ping', function () { lastHeard = Date.now(); });
  // A failed connection is retried by EventSource for ever (a blocked stream never closes): poll
  // meanwhile, and stop once it is open again (it sends the current state first, so nothing is missed).
  source.onerror = function () { startPolling(); };
  source.onopen = function () { lastHeard = Date.now(); stopPolling(); };
  setInterval(function () { if (Date.now() - lastHeard > 35000) startPolling(); }, 5000);
  setTimeout(function () { if (source.readyState !== 1) startPolling(); }, 10000);
})();
`;
