import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Brand } from '../../platform/brand.js';
import { plainPage } from '../../platform/http/plain-page.js';
import { pageLanguages, pageText } from './registration-page-text.js';

// Beyond the shared rules: a consent checkbox, field hints and errors, language links.
const styles = `main{max-width:34rem}
input,select{background:#fff;color:#111}
input[type=checkbox]{width:1.5rem;height:1.5rem;margin:0 .6rem 0 0;flex:none}
.check{display:flex;align-items:flex-start;margin-top:1.25rem}.check label{margin-top:0}
input[aria-invalid=true]{border-color:#a00}
button.secondary{background:#fff;color:#111;border:2px solid #555}
.hint{color:#444;margin:.15rem 0 0;font-size:.95rem}
.field-error{color:#a00;font-weight:600;margin:.25rem 0 0}
.error ul{margin:.25rem 0 0;padding-left:1.25rem}.error li a{display:block;padding:.3rem 0}
.done{background:#e9f6ec;border-left:5px solid #17692e;padding:.75rem;margin:1rem 0}
nav{text-align:right}nav a{display:inline-block;padding:.3rem 0;margin-left:.75rem}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.25rem 1rem}
.top p{margin:0}.top p a{display:inline-block;padding:.3rem 0}`;

export interface PageFrame {
  language: string;
  title: string;
  institution: string;
  /** The path the language links point to (the current page). */
  path: string;
  /** The institution's colours. */
  brand: Brand;
  /** The public emergency page in this language ("/" or "/index.es.html"). */
  emergencyPagePath: string;
}

/** The frame of every registration page: lang attribute, language links, no scripts. */
export function registrationPage(frame: PageFrame, body: SafeHtml): string {
  const others = pageLanguages.filter((l) => l !== frame.language);
  return plainPage({
    brand: frame.brand,
    lang: frame.language,
    title: `${frame.title} · ${frame.institution}`,
    heading: frame.title,
    top: html`<div class="top">
      <p><a href="${frame.emergencyPagePath}">${pageText(frame.language).emergencyPage}</a></p>
      <nav aria-label="${pageText(frame.language).languageNav}">
        ${others.map(
          (l) =>
            html`<a href="${frame.path}?lang=${l}" lang="${l}" hreflang="${l}"
              >${pageText(l).languageName}</a
            >`,
        )}
      </nav>
    </div>`,
    body,
    styles,
    noindex: true,
  });
}

/** A message box; errors are announced to screen readers. */
export function messageBox(kind: 'error' | 'note' | 'done', message: string | null): SafeHtml {
  if (!message) return html``;
  return kind === 'error'
    ? html`<div class="error" role="alert">${message}</div>`
    : html`<div class="${kind}" role="status">${message}</div>`;
}

/** A labelled text field with its hint and its error next to it (described-by both). */
export function textField(options: {
  id: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  errorPrefix: string;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  required?: boolean;
}): SafeHtml {
  const described = [options.hint ? `${options.id}-hint` : '', options.error ? `${options.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<label for="${options.id}">${options.label}</label>
    ${options.hint ? html`<p class="hint" id="${options.id}-hint">${options.hint}</p>` : ''}
    ${
      options.error
        ? html`<p class="field-error" id="${options.id}-error">${options.errorPrefix} ${options.error}</p>`
        : ''
    }
    <input
      id="${options.id}"
      name="${options.id}"
      type="${options.type ?? 'text'}"
      value="${options.value ?? ''}"
      ${options.autocomplete ? html`autocomplete="${options.autocomplete}"` : ''}
      ${options.inputmode ? html`inputmode="${options.inputmode}"` : ''}
      ${options.required ? html`required` : ''}
      ${options.error ? html`aria-invalid="true"` : ''}
      ${described ? html`aria-describedby="${described}"` : ''}
    />`;
}

/** The hidden CSRF field a signed-in operator's browser needs to post (anonymous visitors need none). */
export function csrfInput(csrfToken: string | null): SafeHtml {
  return csrfToken ? html`<input type="hidden" name="_csrf" value="${csrfToken}" />` : html``;
}
