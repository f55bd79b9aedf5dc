import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { packageRoot } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { parseCapAlert, type CapAlert } from './cap-alert.js';
import { capRuleProblems } from './cap-rules.policy.js';
import { requireXmlWithoutDtd } from './xml-without-dtd.js';

/** The largest CAP document Tocsin reads, posted or fetched (1 MiB). */
export const maxCapBytes = 1_048_576;

// A refusal lists this many problems and counts the rest, each said in at most so many characters
// (libxml2 quotes the offending value), so that a document with thousands of errors is answered in
// a few kilobytes (under 16 KiB, escaped as JSON) and costs little to describe.
const maxReportedProblems = 20;
const maxProblemChars = 150;

/** One thing wrong with a document, where the parser or validator could say where. */
interface CapProblem {
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

const clip = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/**
 * Refuse with the first problems listed, in the message and as details, and the rest of `total`
 * counted ("…; and 4,980 more problems."), however many there are.
 */
function refuseProblems(
  intro: string,
  problems: CapProblem[],
  describe: (p: CapProblem) => string,
  total = problems.length,
): never {
  const listed = problems
    .slice(0, maxReportedProblems)
    .map((p) => ({ ...p, message: clip(p.message, maxProblemChars) }));
  const rest = total - listed.length;
  if (rest <= 0) refuse(`${intro}: ${listed.map(describe).join('; ')}.`, listed);
  const more = `${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}`;
  refuse(`${intro}: ${listed.map(describe).join('; ')}; and ${more}.`, [
    ...listed,
    { message: `${more} not listed` },
  ]);
}

function refuseOtherEncodings(xml: string): void {
  const declared = /^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(xml)?.[1];
  if (!declared || /^utf-?8$/i.test(declared)) return;
  refuse(`The document declares encoding ${declared}; send CAP as UTF-8.`, [
    { message: `encoding ${declared} is not accepted` },
  ]);
}

/**
 * libxml2's message in the words of CAP: namespaces dropped, enumerations and the date pattern
 * said plainly ("element urgency: 'Soon' is not one of Immediate, Expected, …").
 */
function schemaMessage(raw: string): { message: string; element?: string } {
  const body = raw.replace(/^Schemas validity error\s*:\s*/, '').replaceAll(`{${capNamespace}}`, '');
  const element = /^Element '([^']+)'/.exec(body)?.[1]?.replace(/^\{[^}]*\}/, '');
  const rest = body.replace(/^Element '[^']+':\s*/, '');
  const enumeration = /\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\./.exec(
    rest,
  );
  const pattern = /\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern/.exec(rest);
  let said = rest.replace(/\.$/, '');
  if (enumeration) said = `'${clip(enumeration[1]!, 40)}' is not one of ${enumeration[2]!.replace(/'/g, '')}`;
  else if (pattern)
    said = `'${clip(pattern[1]!, 40)}' is not a CAP date and time: write it with an explicit offset, like 2026-11-21T14:30:00-05:00 (CAP does not allow Z)`;
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
    const message = clip(parserError.message.replace(/^parser error\s*:\s*/, ''), maxProblemChars);
    refuse(`The document is not well-formed XML: line ${parserError.loc!.lineNumber}: ${message}`, [
      { message, line: parserError.loc!.lineNumber },
    ]);
  }
  // Only the problems reported are put in words; the rest are counted.
  const problems: CapProblem[] = located
    .slice(0, maxReportedProblems)
    .map((e) => ({ ...schemaMessage(e.message), line: e.loc!.lineNumber }));
  if (problems.length === 0) problems.push({ message: result.rawOutput.trim() || 'invalid', line: 0 });
  refuseProblems(
    'The document is not valid CAP 1.2',
    problems,
    (p) => `${p.message} (line ${p.line})`,
    Math.max(located.length, problems.length),
  );
}

/**
 * Read a CAP 1.2 document from outside: well-formed with no DTD (a parser refuses any DOCTYPE,
 * so no entity is declared, expanded or fetched), UTF-8, valid against the OASIS schema
 * (libxml2, offline), then the rules the schema cannot express. Every refusal is a validation
 * error that says what was wrong and where, listing at most maxReportedProblems problems.
 */
export async function readCapDocument(xml: string): Promise<CapAlert> {
  if (xml.trim() === '') refuse('The request has no CAP document.', [{ message: 'empty body' }]);
  if (Buffer.byteLength(xml) > maxCapBytes)
    refuse(`The document is larger than ${maxCapBytes} bytes.`, [{ message: 'too large' }]);
  requireXmlWithoutDtd(xml, 'document');
  refuseOtherEncodings(xml);
  await requireSchemaValid(xml);
  const alert = parseCapAlert(xml);
  const problems = capRuleProblems(alert);
  if (problems.length > 0)
    refuseProblems('The document breaks CAP 1.2 rules', problems, (p) => `${p.element}: ${p.message}`);
  return alert;
}
