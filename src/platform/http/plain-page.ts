import { faviconDataUri, systemFontStack, type Brand } from '../brand.js';
import { html, raw, type SafeHtml } from './html.js';

/**
 * What every server-rendered page shares: the institution's colours (the profile's branding: a band
 * above the page, buttons and links), the system's fonts, a readable card on a phone or at 200% zoom,
 * visible focus, form fields, error and note boxes. Pages add their own rules after these.
 */
const baseStyles = (brand: Brand) => `
body{font:1.0625rem/1.5 ${systemFontStack};margin:0;background:#f4f4f4;color:#111;border-top:6px solid ${brand.primaryColour}}
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #ccc;border-radius:6px}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input,select{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;margin-top:.25rem;border:2px solid #555;border-radius:4px}
input:focus,select:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button{font:inherit;font-weight:600;margin-top:1.25rem;padding:.7rem 1.2rem;background:${brand.primaryColour};color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;border-left:5px solid #a00;padding:.75rem;margin:1rem 0}
.note{background:#eef4ff;border-left:5px solid #0b57d0;padding:.75rem;margin:1rem 0}
a{color:${brand.primaryColour}}`;

export interface PlainPage {
  lang: string;
  /** The document title; `heading` is the h1. */
  title: string;
  heading: string;
  /** Above the heading: the product or programme line, language links. */
  top: SafeHtml;
  body: SafeHtml;
  /** Rules after the shared ones (they win). Emitted as they are (a style element is not HTML-escaped text). */
  styles?: string;
  /** Keep search engines out (personal links, registration steps). */
  noindex?: boolean;
  /** The institution's colours (brandOf(profile.branding)). */
  brand: Brand;
}

/** A whole page: no scripts, no third-party requests, one inline style sheet. */
export function plainPage(page: PlainPage): string {
  return html`<!doctype html>
    <html lang="${page.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${page.noindex ? html`<meta name="robots" content="noindex" />` : ''}
        <title>${page.title}</title>
        <link rel="icon" href="${faviconDataUri(page.brand)}" type="image/svg+xml" />
        <style>
          ${raw(baseStyles(page.brand) + (page.styles ?? ''))}
        </style>
      </head>
      <body>
        <main>
          ${page.top}
          <h1>${page.heading}</h1>
          ${page.body}
        </main>
      </body>
    </html>`.value;
}
