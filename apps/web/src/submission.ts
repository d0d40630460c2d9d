/**
 * Browser-side reading and checking of a results file before it is sent to `submitResults` (the server
 * checks everything again). Pure: no DOM, so it is unit-tested directly.
 *
 * Accepted files:
 * - JSON: the mutation's input `{ model, scores, provenance? }`, or just an array of scores;
 * - CSV with a header row: `benchmark,status,value,rawValue,error,ceiling` (only `benchmark` and
 *   `value` are required; status defaults to SCORED), read with csv-parse (its browser build).
 */

import { parse as parseCsv } from 'csv-parse/browser/esm/sync';
import type { SubmitResultsInput } from './generated/graphql.ts';

export type LeafInfo = { identifier: string; rangeMin: number | null; rangeMax: number | null };

export type ScoreRow = {
  /** 1-based line (CSV) or index + 1 (JSON), for messages. */
  line: number;
  benchmark: string;
  status: 'SCORED' | 'FAILED' | 'NOT_RUN';
  value: number | null;
  rawValue: number | null;
  error: number | null;
  ceiling: number | null;
  errors: string[];
};

export type ModelFields = {
  identifier?: string;
  displayName?: string;
  architecture?: string;
  family?: string;
  trainingRegime?: string;
  trainingData?: string;
  parameters?: number;
  source?: string;
  license?: string;
};

export type ParsedUpload = {
  rows: ScoreRow[];
  model: ModelFields;
  provenance: Record<string, unknown> | null;
  /** Problems with the file as a whole (unreadable, no header...). */
  fileErrors: string[];
};

export const MAX_SCORES = 500;
export const MAX_FILE_BYTES = 2_000_000;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._\-:/+@]*$/;

function parseStatus(v: unknown): ScoreRow['status'] | undefined {
  if (v === undefined || v === null || v === '') return 'SCORED';
  const s = String(v).trim().toUpperCase().replace('-', '_');
  return s === 'SCORED' || s === 'FAILED' || s === 'NOT_RUN' ? s : undefined;
}

function numberField(v: unknown, name: string, errors: string[]): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) {
    errors.push(`${name} "${String(v)}" is not a number`);
    return null;
  }
  return n;
}

function rowFrom(line: number, rec: Record<string, unknown>): ScoreRow {
  const errors: string[] = [];
  const benchmark = String(rec.benchmark ?? '').trim();
  const status = parseStatus(rec.status);
  if (!status) errors.push(`status "${String(rec.status)}" must be SCORED, FAILED or NOT_RUN`);
  return {
    line,
    benchmark,
    status: status ?? 'SCORED',
    value: numberField(rec.value, 'value', errors),
    rawValue: numberField(rec.rawValue, 'rawValue', errors),
    error: numberField(rec.error, 'error', errors),
    ceiling: numberField(rec.ceiling, 'ceiling', errors),
    errors,
  };
}

/** Reads a JSON or CSV results file. */
export function parseUpload(text: string, fileName: string): ParsedUpload {
  const empty: ParsedUpload = { rows: [], model: {}, provenance: null, fileErrors: [] };
  const trimmed = text.trim();
  if (trimmed === '') return { ...empty, fileErrors: ['the file is empty'] };
  const looksJson =
    fileName.toLowerCase().endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (looksJson) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      return { ...empty, fileErrors: [`not valid JSON: ${(e as Error).message}`] };
    }
    const obj = Array.isArray(data) ? { scores: data } : (data as Record<string, unknown>);
    if (!obj || typeof obj !== 'object' || !Array.isArray(obj.scores)) {
      return {
        ...empty,
        fileErrors: ['JSON must be { "model": {...}, "scores": [...] } or an array of scores'],
      };
    }
    const rows = (obj.scores as unknown[]).map((s, i) =>
      s && typeof s === 'object'
        ? rowFrom(i + 1, s as Record<string, unknown>)
        : { ...rowFrom(i + 1, {}), errors: ['not an object'] },
    );
    const model = obj.model && typeof obj.model === 'object' ? (obj.model as ModelFields) : {};
    const provenance =
      obj.provenance && typeof obj.provenance === 'object'
        ? (obj.provenance as Record<string, unknown>)
        : null;
    return { rows, model, provenance, fileErrors: [] };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(trimmed, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (e) {
    return { ...empty, fileErrors: [`not valid CSV: ${(e as Error).message}`] };
  }
  const header = records[0]?.record ?? [];
  if (!header.includes('benchmark')) {
    return { ...empty, fileErrors: ['the CSV needs a header row with at least "benchmark" and "value"'] };
  }
  const known = new Set(['benchmark', 'status', 'value', 'rawValue', 'error', 'ceiling']);
  const unknown = header.filter((h) => !known.has(h));
  const rows: ScoreRow[] = [];
  for (const { record: cells, info } of records.slice(1)) {
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => {
      rec[h] = cells[j];
    });
    const row = rowFrom(info.lines, rec);
    if (cells.length !== header.length)
      row.errors.push(`${cells.length} fields, the header has ${header.length}`);
    rows.push(row);
  }
  return {
    rows,
    model: {},
    provenance: null,
    fileErrors: unknown.length
      ? [`unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`]
      : [],
  };
}

/** Adds each row's problems against the catalog's leaf benchmarks (same rules as the server). */
export function validateRows(rows: ScoreRow[], leaves: LeafInfo[]): ScoreRow[] {
  const byId = new Map(leaves.map((l) => [l.identifier, l]));
  const seen = new Set<string>();
  return rows.map((r) => {
    const errors = [...r.errors];
    const leaf = byId.get(r.benchmark);
    if (r.benchmark === '') errors.push('benchmark is empty');
    else if (!leaf) errors.push(`unknown benchmark "${r.benchmark}" (use a leaf benchmark identifier)`);
    if (r.benchmark !== '' && seen.has(r.benchmark)) errors.push(`${r.benchmark} appears twice`);
    seen.add(r.benchmark);
    if (r.status === 'SCORED' && r.value === null && r.rawValue === null)
      errors.push('a SCORED row needs a value');
    if (r.status !== 'SCORED' && (r.value !== null || r.rawValue !== null))
      errors.push(`a ${r.status} row carries no value`);
    if (leaf) {
      for (const [name, v] of [
        ['value', r.value],
        ['rawValue', r.rawValue],
      ] as const) {
        if (v === null) continue;
        if ((leaf.rangeMin !== null && v < leaf.rangeMin) || (leaf.rangeMax !== null && v > leaf.rangeMax))
          errors.push(`${name} ${v} is outside [${leaf.rangeMin ?? '-∞'}, ${leaf.rangeMax ?? '∞'}]`);
      }
    }
    if (r.error !== null && r.error < 0) errors.push('error must not be negative');
    if (r.ceiling !== null && r.ceiling <= 0) errors.push('ceiling must be positive');
    return { ...r, errors };
  });
}

/** Problems with the model fields (identifier rules as the server's). */
export function validateModel(m: ModelFields): string[] {
  const errors: string[] = [];
  const id = m.identifier?.trim() ?? '';
  if (id === '') errors.push('model identifier is required');
  else if (id.length > 100 || !IDENTIFIER.test(id))
    errors.push('model identifier: 1-100 letters, digits and . _ - : / + @, starting with a letter or digit');
  if (m.parameters !== undefined && (!Number.isInteger(m.parameters) || m.parameters < 0))
    errors.push('parameters must be a non-negative integer');
  return errors;
}

/** The `submitResults` input for a checked upload. */
export function toSubmitInput(
  model: ModelFields,
  rows: ScoreRow[],
  provenance: Record<string, unknown> | null,
): SubmitResultsInput {
  const clean = Object.fromEntries(
    Object.entries(model).filter(([, v]) => v !== undefined && v !== '' && !Number.isNaN(v)),
  ) as ModelFields;
  const identifier = clean.identifier?.trim();
  if (!identifier) throw new Error('the model needs an identifier');
  return {
    model: { ...clean, identifier },
    scores: rows.map((r) => ({
      benchmark: r.benchmark,
      status: r.status,
      ...(r.value !== null ? { value: r.value } : {}),
      ...(r.rawValue !== null ? { rawValue: r.rawValue } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
      ...(r.ceiling !== null ? { ceiling: r.ceiling } : {}),
    })),
    ...(provenance ? { provenance } : { provenance: { producer: 'alignscope-web upload' } }),
  };
}

/** Maps a server error path (`input.scores.3.value`) to the row index it concerns, if any. */
export function rowOfPath(path: string[]): number | null {
  const i = path.indexOf('scores');
  if (i < 0) return null;
  const n = Number(path[i + 1]);
  return Number.isInteger(n) ? n : null;
}
