import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { requireXmlWithoutDtd, type XmlSource } from './xml-without-dtd.js';

const alert = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><headline>&h;</headline></alert>';

function refusal(xml: string, what: XmlSource = 'document'): AppError {
  try {
    requireXmlWithoutDtd(xml, what);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the XML was accepted');
}

describe('refusing a DTD wherever the parser meets it', () => {
  it.each([
    ['first', `<!DOCTYPE alert [<!ENTITY h "x">]>${alert}`],
    ['after the XML declaration', `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE alert>${alert}`],
    ['after a byte-order mark', `\uFEFF<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY h "x">]>${alert}`],
    ['after a comment', `<!-- county feed --><!DOCTYPE alert [<!ENTITY h "x">]>${alert}`],
    [
      'after a processing instruction hiding "<!--"',
      `<?a <!-- ?><!DOCTYPE alert [<!ENTITY h "x">]><?b --> ?>${alert}`,
    ],
    ['after whitespace', `\n\n  \t<!DOCTYPE alert [<!ENTITY h "x">]>${alert}`],
    ['with an external entity', `<!DOCTYPE alert [<!ENTITY h SYSTEM "file:///etc/passwd">]>${alert}`],
    ['with a parameter entity', `<!DOCTYPE alert [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p"> %p;]>${alert}`],
    ['naming an external DTD', `<!DOCTYPE alert PUBLIC "-//x//y" "http://127.0.0.1:1/cap.dtd">${alert}`],
    ['after the root element', `${alert.replace('&h;', 'x')}\n<!DOCTYPE alert [<!ENTITY h "x">]>`],
  ])('refuses a DOCTYPE %s as a validation error', (_where, xml) => {
    const error = refusal(xml);
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/^The document declares a DTD .*DTDs are not accepted/);
    expect(error.details).toEqual([
      { message: 'DTDs (DOCTYPE declarations) are not accepted', line: expect.any(Number) },
    ]);
  });

  it('names the feed when a feed declares one', () => {
    expect(refusal('<!DOCTYPE feed><feed xmlns="http://www.w3.org/2005/Atom"/>', 'feed').message).toMatch(
      /^The feed declares a DTD .*DTDs are not accepted.*Remove it from the feed\.$/,
    );
  });

  it.each([
    ['a comment', '<!-- <!DOCTYPE alert [<!ENTITY h "x">]> -->'],
    ['a processing instruction', '<?note <!DOCTYPE alert> ?>'],
  ])('accepts "<!DOCTYPE" written inside %s, which declares nothing', (_where, prolog) => {
    expect(() => requireXmlWithoutDtd(`${prolog}${alert.replace('&h;', 'x')}`, 'document')).not.toThrow();
  });

  it('accepts "<!DOCTYPE" as text in CDATA, and the predefined entities and character references', () => {
    const xml = '<a><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]> AT&amp;T &#169; &lt;&gt;&quot;&apos;</a>';
    expect(() => requireXmlWithoutDtd(xml, 'document')).not.toThrow();
  });
});

describe('refusing XML that is not well-formed', () => {
  it('gives the line and column of the fault, and what was expected there', () => {
    const error = refusal('<alert>\n  <event>Tornado Warning</evnt>\n</alert>');
    expect(error.message).toMatch(
      /^The document is not well-formed XML: line 2, column \d+: Expected closing tag 'event' .*'evnt'/,
    );
    expect(error.details).toEqual([{ message: expect.any(String), line: 2, column: expect.any(Number) }]);
  });

  it('finds a stray & where it stands, not at the next ";"', () => {
    const xml = '<a>\n<web>https://example.edu/?a=1&b=2</web>\n<b>x&amp;y</b></a>';
    expect(refusal(xml).message).toMatch(/line 2, column \d+: char '&' is not expected/);
  });

  it.each([
    ['an entity no DTD declares', '<a>&nbsp;</a>', /undefined entity/],
    ['an undeclared namespace prefix', '<cap:alert/>', /unbound namespace prefix/],
    ['"]]>" in text', '<a>x]]>y</a>', /"]]>" is disallowed in char data/],
    ['a second root element', '<a/><b/>', /Multiple root|only one root/],
    ['a document with no root element', '<!-- nothing -->', /root/],
  ])('refuses %s', (_what, xml, said) => {
    expect(refusal(xml).message).toMatch(said);
  });

  it('stops reading garbage after a few errors, and says where the first was', () => {
    const error = refusal(`<a>${'\u0001'.repeat(1_000_000)}</a>`, 'feed');
    expect(error.message).toBe('The feed is not well-formed XML: line 1, column 4: disallowed character');
  });
});
