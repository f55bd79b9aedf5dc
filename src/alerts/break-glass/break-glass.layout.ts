import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Brand } from '../../platform/brand.js';
import { plainPage } from '../../platform/http/plain-page.js';

// Beyond the shared rules: fieldsets, choices with 24 px targets, text areas, hints and field
// errors, the error summary, a link that looks like a button, the delivery table.
const styles = `main{max-width:40rem}
input,select,textarea{background:#fff;color:#111}
textarea{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;margin-top:.25rem;border:2px solid #555;border-radius:4px;min-height:4.5rem}
textarea:focus{outline:3px solid #0b57d0;outline-offset:2px}
fieldset{border:1px solid #767676;border-radius:4px;margin:1.25rem 0 0;padding:.25rem 1rem 1rem;min-width:0}
legend{font-weight:700;padding:0 .3rem}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin-top:.6rem}
.choice input{width:1.6rem;height:1.6rem;margin:0;flex:none}
.choice label{margin:0;font-weight:400}
[aria-invalid=true]{border-color:#a00}
.hint{color:#444;margin:.15rem 0 0;font-size:.95rem}
.field-error{color:#a00;font-weight:600;margin:.25rem 0 0}
.error ul{margin:.25rem 0 0;padding-left:1.25rem}.error li{margin:.4rem 0}
.done{background:#e9f6ec;border-left:5px solid #17692e;padding:.75rem;margin:1rem 0}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem}
.top p{margin:0}.top form button{margin:0;padding:.3rem .8rem;background:#fff;color:#111;border:2px solid #555}
a.button{display:inline-block;font-weight:600;margin-top:1rem;padding:.7rem 1.2rem;border:2px solid #0b3d91;border-radius:4px;text-decoration:none}
button.secondary{background:#fff;color:#111;border:2px solid #555}
dl{margin:.5rem 0}dt{font-weight:600;margin-top:.5rem}dd{margin:0 0 0 1rem;overflow-wrap:anywhere}
details{margin-top:.75rem}summary{cursor:pointer;font-weight:600;padding:.3rem 0}
table{border-collapse:collapse;width:100%;margin-top:.5rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #ccc;overflow-wrap:break-word}
td.state{white-space:nowrap}
h2{font-size:1.25rem;margin-top:2rem}`;

export interface BreakGlassFrame {
  title: string;
  institution: string;
  /** The signed-in operator, with a sign-out button; null on pages for someone not signed in. */
  operator: { name: string; csrfToken: string } | null;
  /** The institution's colours. */
  brand: Brand;
}

/** The frame of every break-glass page: no scripts, nothing from elsewhere, never indexed. */
export function breakGlassPage(frame: BreakGlassFrame, body: SafeHtml): string {
  return plainPage({
    brand: frame.brand,
    lang: 'en',
    title: `${frame.title} · Tocsin · ${frame.institution}`,
    heading: frame.title,
    top: html`<div class="top">
      <p>Tocsin · ${frame.institution} · plain send form</p>
      ${
        frame.operator
          ? html`<form method="post" action="/logout">
              <input type="hidden" name="_csrf" value="${frame.operator.csrfToken}" />
              <button type="submit">Sign out ${frame.operator.name}</button>
            </form>`
          : ''
      }
    </div>`,
    body,
    styles,
    noindex: true,
  });
}

/** A message box: errors are announced at once, notes politely. */
export function messageBox(kind: 'error' | 'note' | 'done', message: string | SafeHtml | null): SafeHtml {
  if (!message) return html``;
  return kind === 'error'
    ? html`<div class="error" role="alert">${message}</div>`
    : html`<div class="${kind}" role="status">${message}</div>`;
}

/** The list of problems at the top of a refused form, each linking to its field. */
export function errorSummary(problems: Array<{ id: string; message: string }>): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<div class="error" role="alert" id="problems">
    <p>
      <strong>The alert was not sent.</strong> Fix ${problems.length === 1 ? 'this' : 'these'} and press the
      button again:
    </p>
    <ul>
      ${problems.map((p) => html`<li><a href="#${p.id}">${p.message}</a></li>`)}
    </ul>
  </div>`;
}

export interface FieldOptions {
  id: string;
  label: string;
  value: string;
  hint?: string | SafeHtml;
  error?: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  multiline?: boolean;
  /** The id of a datalist of suggestions (any other value may be typed). */
  list?: string;
}

/** The ids a field is described by: its hint and its error. */
function describedBy(id: string, hint: unknown, error: unknown): SafeHtml {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html`aria-describedby="${ids}"` : html``;
}

/** Hint and error under a label or legend. */
function notes(id: string, hint: string | SafeHtml | undefined, error: string | undefined): SafeHtml {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
  ${error ? html`<p class="field-error" id="${id}-error">Error: ${error}</p>` : ''}`;
}

/** A labelled text field (or text area) with its hint and its error, described by both. */
export function textField(o: FieldOptions): SafeHtml {
  const attributes = html`id="${o.id}" name="${o.id}" ${o.required ? html`required` : ''}
  ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${o.list ? html`list="${o.list}"` : ''}
  ${o.error ? html`aria-invalid="true"` : ''} ${describedBy(o.id, o.hint, o.error)}`;
  return html`<label for="${o.id}">${o.label}</label> ${notes(o.id, o.hint, o.error)}
    ${
      o.multiline
        ? html`<textarea ${attributes} rows="3">${o.value}</textarea>`
        : html`<input ${attributes} type="${o.type ?? 'text'}" value="${o.value}" />`
    }`;
}

export interface ChoiceOptions {
  /** The field's name; each choice's id is name-value. */
  name: string;
  legend: string;
  type: 'radio' | 'checkbox';
  choices: Array<{ value: string; label: string; hint?: string }>;
  chosen: readonly string[];
  hint?: string;
  error?: string;
}

/** A fieldset of radio buttons or checkboxes; the group carries the hint and the error. */
export function choiceField(o: ChoiceOptions): SafeHtml {
  return html`<fieldset id="${o.name}" ${describedBy(o.name, o.hint, o.error)}>
    <legend>${o.legend}</legend>
    ${notes(o.name, o.hint, o.error)}
    ${o.choices.map((c) => {
      const id = `${o.name}-${c.value}`;
      return html`<div class="choice">
        <input
          type="${o.type}"
          id="${id}"
          name="${o.name}"
          value="${c.value}"
          ${o.chosen.includes(c.value) ? html`checked` : ''}
        />
        <label for="${id}">${c.label}${c.hint ? html`<span class="hint"> — ${c.hint}</span>` : ''}</label>
      </div>`;
    })}
  </fieldset>`;
}

/** A labelled select with its hint and error; the first option may be an empty "choose" one. */
export function selectField(o: {
  id: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  value: string;
  hint?: string | SafeHtml;
  error?: string;
}): SafeHtml {
  return html`<label for="${o.id}">${o.label}</label>
    ${notes(o.id, o.hint, o.error)}
    <select
      id="${o.id}"
      name="${o.id}"
      ${o.error ? html`aria-invalid="true"` : ''}
      ${describedBy(o.id, o.hint, o.error)}
    >
      ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === o.value ? html`selected` : ''}>${opt.label}</option>`)}
    </select>`;
}

/** The session's CSRF token as the hidden field every form posts. */
export function csrfInput(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}" />`;
}
