import { parse } from 'csv-parse/sync';
import type { Profile } from '../../platform/profile.js';
import { recordFromFields, type DirectoryRecord, type FieldName } from './directory-record.js';

export interface RowError {
  line: number;
  institutionalId: string | null;
  reason: string;
}

export interface FeedContents {
  records: DirectoryRecord[];
  errors: RowError[];
  /** Institutional ids of rows that could not be used: those people are left as they are, never deactivated. */
  heldIds: string[];
  rows: number;
}

/** Raised when the file as a whole cannot be read (not CSV, required columns missing). */
export class FeedFormatError extends Error {}

/** The fields every CSV export must have a column for. */
export const requiredCsvFields: FieldName[] = ['institutionalId', 'affiliation', 'email'];

/** Parse a registrar/HR full export using the profile's column mapping. */
export function parseCsvFeed(content: Buffer | string, profile: Profile): FeedContents {
  const mapping = profile.directory.csvColumns;
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(content, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new FeedFormatError(`The file is not readable CSV: ${(error as Error).message}`);
  }
  const header = rows[0] ? Object.keys(rows[0].record) : [];
  const missing = requiredCsvFields.filter((field) => !header.includes(mapping[field]!.toLowerCase()));
  if (rows.length > 0 && missing.length > 0) {
    throw new FeedFormatError(
      `The file lacks required column(s): ${missing.map((f) => `${mapping[f]} (${f})`).join(', ')}. Columns found: ${header.join(', ')}. Column names come from directory.csvColumns in the profile.`,
    );
  }
  const contents: FeedContents = { records: [], errors: [], heldIds: [], rows: rows.length };
  const seen = new Map<string, number>();
  for (const { record: row, info } of rows) {
    const fields = Object.fromEntries(
      Object.entries(mapping).map(([field, column]) => [field, row[column.toLowerCase()]]),
    ) as Partial<Record<FieldName, string>>;
    const result = recordFromFields(fields, profile);
    if (!result.ok) {
      contents.errors.push({
        line: info.lines,
        institutionalId: result.institutionalId,
        reason: result.reasons.join('; '),
      });
      if (result.institutionalId) contents.heldIds.push(result.institutionalId);
      continue;
    }
    const key = result.record.institutionalId.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      contents.errors.push({
        line: info.lines,
        institutionalId: result.record.institutionalId,
        reason: `duplicate of line ${first}; the first row was used`,
      });
      continue;
    }
    seen.set(key, info.lines);
    contents.records.push(result.record);
  }
  return contents;
}
