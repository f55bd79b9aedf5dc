import { readFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { packageRoot } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { parseCapAlert, type CapAlert } from './cap-alert.js';
import { capRuleProblems } from './cap-rules.policy.js';

/** The largest CAP document Tocsin reads, posted or fetched (1 MiB). */
export const maxCapBytes = 1_048_576;

/** One thing wrong with a document, where the parser or validator could say where. */
export interface CapProblem {
  message: string;
  line?: number;
  column?: number;
  element?: string;
}

const capNamespace = 'urn:oasis:names:tc:emergency:cap:1.2';
let schemaText: string | undefined;
function capSchema(): string {
  schemaText ??= readFileSync(`${packageRoot}/standards/cap-v1.2.xsd`, 'utf8');
  return schemaText;
}

function refuse(message: string, problems: CapProblem[]): never {
  throw new AppError('validation', message, problems);
}

/**
 * Refuse DOCTYPE and entity declarations outright (XXE, billion laughs): CAP needs neither, and a
 * parser that never sees one cannot be talked into expanding or fetching anything.
 */
export function refuseDeclarations(xml: string): void {
  const outsideComments = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(outsideComments);
  if (!declaration) return;
  refuse(
    `The document contains a ${declaration[1]!.toUpperCase()} declaration; CAP documents may not declare a DOCTYPE or entities. Remove it and send the alert element alone.`,
    [{ message: `${declaration[1]!.toUpperCase()} declarations are not accepted` }],
  );
}

function refuseOtherEncodings(xml: string): void {
  const declared = /^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(xml)?.[1];
  if (!declared || /^utf-?8$/i.test(declared)) return;
  refuse(`The document declares encoding ${declared}; send CAP as UTF-8.`, [
    { message: `encoding ${declared} is not accepted` },
  ]);
}

function requireWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml);
  if (result === true) return;
  const { msg, line, col } = result.err;
  refuse(`The document is not well-formed XML: line ${line}, column ${col}: ${msg}`, [
    { message: msg, line, column: col },
  ]);
}

/**
 * libxml2's message in the words of CAP: namespaces dropped, enumerations and the date pattern
 * said plainly ("element urgency: 'Soon' is not one of Immediate, Expected, …").
 */
export function schemaMessage(raw: string): { message: string; element?: string } {
  const body = raw.replace(/^Schemas validity error\s*:\s*/, '').replaceAll(`{${capNamespace}}`, '');
  const element = /^Element '([^']+)'/.exec(body)?.[1]?.replace(/^\{[^}]*\}/, '');
  const rest = body.replace(/^Element '[^']+':\s*/, '');
  const enumeration = /\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\./.exec(
    rest,
  );
  const pattern = /\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern/.exec(rest);
  let said = rest.replace(/\.$/, '');
  if (enumeration) said = `'${enumeration[1]}' is not one of ${enumeration[2]!.replace(/'/g, '')}`;
  else if (pattern)
    said = `'${pattern[1]}' is not a CAP date and time: write it with an explicit offset, like 2026-11-21T14:30:00-05:00 (CAP does not allow Z)`;
  else if (/No matching global declaration available for the validation root/.test(rest))
    said = `is not a CAP 1.2 alert: the root must be <alert xmlns="${capNamespace}">`;
  return { message: element ? `element ${element}: ${said}` : said, element };
}

async function requireSchemaValid(xml: string): Promise<void> {
  const result = await validateXML({
    xml: [{ fileName: 'cap.xml', contents: xml }],
    schema: [{ fileName: 'cap-v1.2.xsd', contents: capSchema() }],
  });
  if (result.valid) return;
  const located = result.errors.filter((e) => e.loc !== null);
  const parserError = located.find((e) => e.message.startsWith('parser error'));
  if (parserError) {
    const message = parserError.message.replace(/^parser error\s*:\s*/, '');
    refuse(`The document is not well-formed XML: line ${parserError.loc!.lineNumber}: ${message}`, [
      { message, line: parserError.loc!.lineNumber },
    ]);
  }
  const problems = located.map((e) => ({ ...schemaMessage(e.message), line: e.loc!.lineNumber }));
  if (problems.length === 0) problems.push({ message: result.rawOutput.trim() || 'invalid', line: 0 });
  refuse(
    `The document is not valid CAP 1.2: ${problems.map((p) => `${p.message} (line ${p.line})`).join('; ')}.`,
    problems,
  );
}

/**
 * Read a CAP 1.2 document from outside: no declarations, UTF-8, well-formed, valid against the
 * OASIS schema (libxml2, offline), then the rules the schema cannot express. Every refusal is a
 * validation error that says what was wrong and where.
 */
export async function readCapDocument(xml: string): Promise<CapAlert> {
  if (xml.trim() === '') refuse('The request has no CAP document.', [{ message: 'empty body' }]);
  if (Buffer.byteLength(xml) > maxCapBytes)
    refuse(`The document is larger than ${maxCapBytes} bytes.`, [{ message: 'too large' }]);
  refuseDeclarations(xml);
  refuseOtherEncodings(xml);
  requireWellFormed(xml);
  await requireSchemaValid(xml);
  const alert = parseCapAlert(xml);
  const problems = capRuleProblems(alert);
  if (problems.length > 0)
    refuse(
      `The document breaks CAP 1.2 rules: ${problems.map((p) => `${p.element}: ${p.message}`).join('; ')}.`,
      problems,
    );
  return alert;
}
