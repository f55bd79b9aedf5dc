import { html, type SafeHtml } from '../platform/http/html.js';

/**
 * North American numbers written 617-253-1212, (617) 253-1212 or 617.253.1212, and international
 * ones written +1 617 253 1212; never dates (2026-11-21) or times. Plain ES5 syntax: the signage
 * script uses it too.
 */
export const phoneNumberPattern = /(\+\d{1,3}[ .-]?)?(\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b/g;

/** A phone number kept on one line: the page wraps long words anywhere, never inside a number. */
function wholePhone(number: string): SafeHtml {
  return html`<span class="tel">${number}</span>`;
}

/** Text with every phone number in it kept on one line. */
export function withWholePhones(text: string): SafeHtml {
  const parts: Array<string | SafeHtml> = [];
  let last = 0;
  for (const match of text.matchAll(phoneNumberPattern)) {
    parts.push(text.slice(last, match.index), wholePhone(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}
