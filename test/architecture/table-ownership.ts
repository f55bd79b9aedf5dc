import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A table named in a file of a domain that does not own it. */
export interface ForeignTableUse {
  file: string;
  line: number;
  table: string;
  owner: string;
}

// Platform's campuses table is the shared reference every campus-bound row points to: any domain
// may join it for a campus's slug or name. Platform's other tables are reached through its functions.
const sharedTables = new Set(['campuses']);

const kyselyTableCall =
  /\.(?:selectFrom|insertInto|updateTable|deleteFrom|mergeInto|(?:inner|left|right|full|cross)Join(?:Lateral)?)\(\s*['"`]([a-z_][a-z0-9_]*)(?:\s+as\s+\w+)?['"`]/g;
const sqlTemplate = /\bsql(?:<[^`]*?>)?`((?:[^`\\]|\\.)*)`/g;
const sqlTableWord = /\b(?:from|join|into|update|table)\s+([a-z_][a-z0-9_]*)\b/gi;

/** The domain a source path belongs to: its first folder under src/. */
function domainOf(file: string): string {
  return file.split('/')[1] ?? '';
}

/** Tables declared in a `*.tables.ts` text: the keys of its exported `…Tables` interface. */
function declaredTables(text: string): string[] {
  const block = /export interface \w*Tables\s*\{([^}]*)\}/.exec(text);
  if (!block) return [];
  return [...block[1]!.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

/** Every table a source text names in a Kysely call or a raw SQL template, with its line. */
export function tablesNamed(text: string): Array<{ table: string; line: number }> {
  const found: Array<{ table: string; line: number }> = [];
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(kyselyTableCall)) found.push({ table: m[1]!, line: lineAt(m.index) });
  for (const t of text.matchAll(sqlTemplate)) {
    for (const w of t[1]!.matchAll(sqlTableWord))
      found.push({ table: w[1]!.toLowerCase(), line: lineAt(t.index + 4 + w.index) });
  }
  return found;
}

/** The uses of other domains' tables in `files` (repo-relative source paths), given each table's owner. */
export function foreignTableUses(
  files: Array<{ file: string; text: string }>,
  owners: Map<string, string>,
): ForeignTableUse[] {
  const uses: ForeignTableUse[] = [];
  for (const { file, text } of files) {
    const domain = domainOf(file);
    for (const { table, line } of tablesNamed(text)) {
      const owner = owners.get(table);
      if (!owner || owner === domain || sharedTables.has(table)) continue;
      uses.push({ file, line, table, owner });
    }
  }
  return uses;
}

/** Every source file under src/ that ships (not tests, test support or table declarations). */
export function productSources(root: string): Array<{ file: string; text: string }> {
  const entries = readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/(\.test\.ts|[.-]test-support\.ts)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
}

/** Each table's owning domain, from the `*.tables.ts` files under src/. */
export function tableOwners(sources: Array<{ file: string; text: string }>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { file, text } of sources.filter((s) => s.file.endsWith('.tables.ts')))
    for (const table of declaredTables(text)) owners.set(table, domainOf(file));
  return owners;
}
