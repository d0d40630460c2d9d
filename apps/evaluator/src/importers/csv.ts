/**
 * Streaming CSV reading (csv-parse's stream API): records come one at a time with their line number,
 * so a file of any size is read in constant memory.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { RowError } from './common.ts';

export type CsvRecord = { line: number; fields: string[] };

export type CsvStream = {
  /** The header (the first record), or a RowError for an empty file. */
  header(): Promise<CsvRecord>;
  /** The records after the header. */
  rows(): AsyncGenerator<CsvRecord>;
  /** Throws a RowError for a ragged row (a field count unlike the header's); call it per row. */
  checkWidth(r: CsvRecord): void;
  /** Bytes read from the file so far (for checking that reading streams). */
  readonly bytesRead: number;
};

/** Opens a CSV file for streaming. */
export function openCsv(file: string, opts: { highWaterMark?: number } = {}): CsvStream {
  const stream: ReadStream = createReadStream(file, { highWaterMark: opts.highWaterMark ?? 64 * 1024 });
  const parser = stream.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  // A read error (missing file...) is surfaced through the parser.
  stream.on('error', (e) => parser.destroy(e));
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const next = async (): Promise<CsvRecord | undefined> => {
    try {
      const r = await it.next();
      if (r.done) return undefined;
      return { line: r.value.info.lines, fields: r.value.record };
    } catch (e) {
      if (e instanceof CsvError) {
        const line = (e as CsvError & { lines?: number }).lines ?? null;
        throw new RowError(line, `malformed CSV: ${e.message.replace(/^Invalid [^:]+: /, '')}`);
      }
      throw e;
    }
  };
  let header: CsvRecord | undefined;
  return {
    get bytesRead() {
      return stream.bytesRead;
    },
    async header() {
      if (header) return header;
      const h = await next();
      if (!h) throw new RowError(null, 'empty file: no header line');
      header = h;
      return h;
    },
    async *rows() {
      await this.header();
      try {
        for (;;) {
          const r = await next();
          if (!r) return;
          yield r;
        }
      } finally {
        stream.destroy();
      }
    },
    checkWidth(r) {
      const width = header?.fields.length ?? 0;
      if (r.fields.length !== width) {
        throw new RowError(r.line, `ragged row: ${r.fields.length} fields where the header has ${width}`);
      }
    },
  };
}

/** A strict decimal number ("0.42", "-1e-3", "42."); undefined for anything else. */
export function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Quotes a CSV field when needed (RFC 4180). */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
