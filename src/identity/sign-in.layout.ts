import { html, type SafeHtml } from '../platform/http/html.js';
import type { Brand } from '../platform/brand.js';
import { plainPage } from '../platform/http/plain-page.js';

// Beyond the shared rules: the TOTP secret and its QR code, the plain send form link.
const styles = `code{font-size:1rem;word-break:break-all}svg{max-width:14rem;height:auto;display:block}
.break-glass{margin-top:1.5rem;padding-top:1rem;border-top:1px solid #ccc}`;

/** The frame of every sign-in page: accessible, no scripts, no third-party requests. */
export function page(title: string, institution: string, body: SafeHtml, brand: Brand): string {
  return plainPage({
    brand,
    lang: 'en',
    title: `${title} · Tocsin · ${institution}`,
    heading: title,
    top: html`<p>Tocsin · ${institution}</p>`,
    body,
    styles,
  });
}

/** An error box announced to screen readers. */
export function errorBox(message: string | null): SafeHtml {
  return message ? html`<div class="error" role="alert">${message}</div>` : html``;
}

/** The hidden field that carries where to go after signing in (nothing when there is nowhere). */
export function nextInput(next: string | null): SafeHtml {
  return next ? html`<input type="hidden" name="next" value="${next}" />` : html``;
}

/** The way to the plain send form when the console does not load (a broken build, a blocked script). */
export const breakGlassLink = html`<p class="break-glass">
  <a href="/send">Console not loading? Send an alert with the plain form</a>
</p>`;
