/**
 * How AlignScope reads CSV text (trial files, image manifests): csv-parse (RFC 4180 quoting), a BOM
 * dropped, cells trimmed, empty lines skipped, rows of any length kept (callers check the columns),
 * and each record with the line it ends on, for error messages. Malformed input throws `CsvError`.
 */
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';

export { CsvError };

/** One parsed row and the (1-based) line it ends on. */
export type CsvRecord = { record: string[]; info: { lines: number } };

export function csvRecords(text: string): CsvRecord[] {
  return parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  }) as unknown as CsvRecord[];
}
