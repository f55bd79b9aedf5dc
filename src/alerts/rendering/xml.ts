// CAP, TwiML, SSML and the email's HTML are small fixed shapes, so they are written by hand with this
// one escape function rather than with an XML builder: xmlbuilder2 would add four packages to the
// tree for what is a few templates, and the CAP tests validate every shape against the OASIS schema.

// Characters XML 1.0 forbids even when escaped: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and
// unpaired surrogates. Template text pasted from other systems sometimes carries them.
// With the u flag a surrogate range matches only unpaired surrogates (pairs are one code point).
// eslint-disable-next-line no-control-regex -- the point is to match the control characters XML forbids.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** Text safe for XML and HTML element content and quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(forbidden, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;'); // &apos; is not HTML 4, which some mail clients still follow
}

/** One element with escaped text content, e.g. element('status', 'Actual') gives <status>Actual</status>. */
export function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}
