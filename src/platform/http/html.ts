/** A piece of HTML that is already safe to emit. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

type Part = string | number | boolean | null | undefined | SafeHtml | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * Tagged template that escapes every interpolated value unless it is SafeHtml. Hand-written: the
 * server renders a handful of small no-JavaScript pages, and a template engine would be more code
 * to audit than these lines.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''),
  );
}

/** Trust a string as HTML (only for markup produced by a library that escapes, like the QR SVG). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
