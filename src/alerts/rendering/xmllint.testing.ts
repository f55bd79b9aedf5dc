import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The OASIS CAP 1.2 schema committed in the repository (a copy of ../shared/standards/cap-v1.2.xsd). */
export const capSchemaPath = fileURLToPath(new URL('../../../standards/cap-v1.2.xsd', import.meta.url));

/**
 * Runs xmllint (Debian package libxml2-utils) on a document given on standard input and returns its
 * exit code: 0 valid, 1 not well-formed, 3 invalid against the schema. Throws when xmllint is missing,
 * so a machine without it fails the tests instead of skipping them.
 */
export function xmllint(document: string, schemaPath?: string): { status: number; stderr: string } {
  const args = ['--noout', ...(schemaPath ? ['--schema', schemaPath] : []), '-'];
  const result = spawnSync('xmllint', args, { input: document, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `xmllint could not run (${result.error.message}): install the Debian package libxml2-utils.`,
    );
  }
  return { status: result.status ?? -1, stderr: result.stderr };
}
