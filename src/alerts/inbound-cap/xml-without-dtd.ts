import { XMLValidator } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { AppError } from '../../platform/errors.js';

/** What the XML is, in a refusal's words: a CAP document, or the Atom feed that lists them. */
export type XmlSource = 'document' | 'feed';

/** Thrown from the doctype handler to stop the parser the moment it reads a DOCTYPE. */
class DtdDeclared {
  constructor(readonly line: number) {}
}

/** Thrown from the error handler: a document this broken says nothing more worth reading. */
class TooBroken {}

interface Malformation {
  message: string;
  line: number;
  column: number;
}

// Parsing goes on past a few errors so that a DOCTYPE after the root element is still named as a
// DTD; past this many it stops, or garbage would cost an Error object per character.
const errorsToReadPast = 10;

function refuseDtd(what: XmlSource, line: number): never {
  const remedy = what === 'feed' ? 'Remove it from the feed' : 'Remove it and send the alert element alone';
  throw new AppError(
    'validation',
    `The ${what} declares a DTD (a DOCTYPE ending at line ${line}); DTDs are not accepted: CAP documents and feeds may not declare a DOCTYPE or entities. ${remedy}.`,
    [{ message: 'DTDs (DOCTYPE declarations) are not accepted', line }],
  );
}

function refuseMalformed(xml: string, what: XmlSource, first: Malformation): never {
  // Where both see a fault, fast-xml-parser's validator says more (the tag left open, a stray &
  // where it stands, not at the next ";"); some only saxes sees ("]]>" in text, control characters).
  const validated = XMLValidator.validate(xml);
  const located =
    validated !== true && Number.isInteger(validated.err.line) && Number.isInteger(validated.err.col);
  const fault = located
    ? { message: validated.err.msg, line: validated.err.line, column: validated.err.col }
    : first;
  const message = fault.message.length > 150 ? `${fault.message.slice(0, 149)}…` : fault.message;
  throw new AppError(
    'validation',
    `The ${what} is not well-formed XML: line ${fault.line}, column ${fault.column}: ${message}`,
    [{ message, line: fault.line, column: fault.column }],
  );
}

/**
 * Require well-formed XML (with namespaces) that declares no DTD: the first DOCTYPE the parser
 * reads, wherever it stands (after a BOM, the XML declaration, comments, processing instructions
 * or the root element), is refused, so no entity is ever declared, expanded or fetched. saxes
 * reads the text as an XML parser does; it never processes a DTD, and knows only the five
 * predefined entities and character references. Every refusal is a validation error.
 */
export function requireXmlWithoutDtd(xml: string, what: XmlSource): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let first: Malformation | undefined;
  let errors = 0;
  parser.on('doctype', () => {
    throw new DtdDeclared(parser.line);
  });
  parser.on('error', (error) => {
    // saxes writes "line:column: message."; the position is kept apart.
    first ??= {
      message: error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, ''),
      line: parser.line,
      column: parser.column,
    };
    errors += 1;
    if (errors >= errorsToReadPast) throw new TooBroken();
  });
  try {
    parser.write(xml).close();
  } catch (stopped) {
    if (stopped instanceof DtdDeclared) refuseDtd(what, stopped.line);
    if (!(stopped instanceof TooBroken)) throw stopped;
  }
  if (first) refuseMalformed(xml, what, first);
}
