import { html, type SafeHtml } from '../platform/http/html.js';

// North American numbers written 617-253-1212, (617) 253-1212 or 617.253.1212, and international
// ones written +1 617 253 1212; never dates (2026-11-21) or times.
const phoneNumber = /(\+\d{1,3}[ .-]?)?(\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b/gu;

/** A phone number kept on one line: the page wraps long words anywhere, never inside a number. */
function wholePhone(number: string): SafeHtml {
  return html`<span class="tel">${number}</span>`;
}

/** Text with every phone number in it kept on one line. */
export function withWholePhones(text: string): SafeHtml {
  const parts: Array<string | SafeHtml> = [];
  let last = 0;
  for (const match of text.matchAll(phoneNumber)) {
    parts.push(text.slice(last, match.index), wholePhone(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}
