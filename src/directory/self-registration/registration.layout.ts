import { html, type SafeHtml } from '../../platform/http/html.js';
import { pageLanguages, pageText } from './registration-page-text.js';

const styles = `
body{font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f4f4;color:#111}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #ccc;border-radius:6px}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input,select{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;margin-top:.25rem;border:2px solid #555;border-radius:4px;background:#fff;color:#111}
input[type=checkbox]{width:1.5rem;height:1.5rem;margin:0 .6rem 0 0;flex:none}
.check{display:flex;align-items:flex-start;margin-top:1.25rem}.check label{margin-top:0}
input:focus,select:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
input[aria-invalid=true]{border-color:#a00}
button{font:inherit;font-weight:600;margin-top:1.25rem;padding:.7rem 1.2rem;background:#8a0000;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#111;border:2px solid #555}
.hint{color:#444;margin:.15rem 0 0;font-size:.95rem}
.field-error{color:#a00;font-weight:600;margin:.25rem 0 0}
.error{background:#fde8e8;border-left:5px solid #a00;padding:.75rem;margin:1rem 0}
.error ul{margin:.25rem 0 0;padding-left:1.25rem}.error li a{display:block;padding:.3rem 0}
.note{background:#eef4ff;border-left:5px solid #0b57d0;padding:.75rem;margin:1rem 0}
.done{background:#e9f6ec;border-left:5px solid #17692e;padding:.75rem;margin:1rem 0}
nav{text-align:right}nav a{display:inline-block;padding:.3rem 0;margin-left:.75rem}
a{color:#0b3d91}`;

export interface PageFrame {
  language: string;
  title: string;
  institution: string;
  /** The path the language links point to (the current page). */
  path: string;
}

/** The frame of every registration page: lang attribute, language links, no scripts. */
export function registrationPage(frame: PageFrame, body: SafeHtml): string {
  const others = pageLanguages.filter((l) => l !== frame.language);
  return html`<!doctype html>
    <html lang="${frame.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${frame.title} · ${frame.institution}</title>
        <style>
          ${styles}
        </style>
      </head>
      <body>
        <main>
          <nav aria-label="${pageText(frame.language).languageNav}">
            ${others.map(
              (l) =>
                html`<a href="${frame.path}?lang=${l}" lang="${l}" hreflang="${l}"
                  >${pageText(l).languageName}</a
                >`,
            )}
          </nav>
          <h1>${frame.title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
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
