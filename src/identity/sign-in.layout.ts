import { html, type SafeHtml } from '../platform/http/html.js';
import { plainPage } from '../platform/http/plain-page.js';

// Beyond the shared rules: the TOTP secret and its QR code.
const styles = `code{font-size:1rem;word-break:break-all}svg{max-width:14rem;height:auto;display:block}`;

/** The frame of every sign-in page: accessible, no scripts, no third-party requests. */
export function page(title: string, institution: string, body: SafeHtml): string {
  return plainPage({
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
