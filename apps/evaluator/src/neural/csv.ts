/**
 * The CSV forms of neural data: features (one row per stimulus, first column the stimulus id, then one
 * column per feature; a header line is optional) and responses in long form (header
 * stimulus,neuroid,repetition,value; optional columns object_name and region).
 */
import { type Matrix, matrix } from '@alignscope/neural';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.ts';
import type { Assembly } from './assembly.ts';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function records(text: string, file: string): { record: string[]; info: { lines: number } }[] {
  try {
    return parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(`${file}: malformed CSV: ${e.message}`);
    throw e;
  }
}

function number(cell: string, file: string, line: number, column: string): number {
  if (!NUMBER.test(cell))
    throw new InputError(`${file}: line ${line}, column ${column}: "${cell}" is not a finite number`);
  return Number(cell);
}

export type FeatureTable = { stimulusIds: string[]; features: Matrix };

export function parseFeaturesCsv(text: string, file: string): FeatureTable {
  const rows = records(text, file);
  if (rows.length === 0)
    throw new InputError(`${file}: empty file (expected one row per stimulus: id, features...)`);
  const first = rows[0] as { record: string[] };
  const hasHeader = first.record.slice(1).some((c) => !NUMBER.test(c));
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) throw new InputError(`${file}: no stimulus rows`);
  const p = (body[0] as { record: string[] }).record.length - 1;
  if (p < 1) throw new InputError(`${file}: rows need a stimulus id and at least one feature`);
  const data = new Float64Array(body.length * p);
  const stimulusIds: string[] = [];
  const seen = new Map<string, number>();
  body.forEach(({ record, info }, i) => {
    if (record.length !== p + 1) {
      throw new InputError(
        `${file}: line ${info.lines} has ${record.length - 1} features, the first row ${p}`,
      );
    }
    const id = record[0] as string;
    if (id === '') throw new InputError(`${file}: line ${info.lines}: empty stimulus id`);
    const prev = seen.get(id);
    if (prev !== undefined)
      throw new InputError(`${file}: line ${info.lines}: stimulus "${id}" again (first on line ${prev})`);
    seen.set(id, info.lines);
    stimulusIds.push(id);
    for (let j = 0; j < p; j++)
      data[i * p + j] = number(record[j + 1] as string, file, info.lines, String(j + 2));
  });
  return { stimulusIds, features: matrix(body.length, p, data) };
}

export function parseResponsesCsv(text: string, file: string): Assembly {
  const rows = records(text, file);
  const head = rows[0];
  if (!head)
    throw new InputError(`${file}: empty file (expected a header stimulus,neuroid,repetition,value)`);
  const col = (name: string, required: boolean) => {
    const i = head.record.indexOf(name);
    if (i < 0 && required) {
      throw new InputError(
        `${file}: the header has no "${name}" column (expected stimulus,neuroid,repetition,value; got ${head.record.join(',')})`,
      );
    }
    return i;
  };
  const cs = col('stimulus', true);
  const cn = col('neuroid', true);
  const cv = col('value', true);
  const cr = col('repetition', false);
  const co = col('object_name', false);
  const cg = col('region', false);
  const body = rows.slice(1);
  if (body.length === 0) throw new InputError(`${file}: no response rows after the header`);
  // presentations are (stimulus, repetition) pairs; neuroids in first-seen order
  const presentation = new Map<string, number>();
  const neuroid = new Map<string, number>();
  const stimulusId: string[] = [];
  const repetition: number[] = [];
  const objectName: string[] = [];
  const neuroidRegion: string[] = [];
  const cells: { p: number; n: number; v: number; line: number }[] = [];
  for (const { record, info } of body) {
    const stim = record[cs] ?? '';
    const neu = record[cn] ?? '';
    if (stim === '' || neu === '')
      throw new InputError(`${file}: line ${info.lines}: empty stimulus or neuroid`);
    const repCell = cr >= 0 ? (record[cr] ?? '') : '0';
    const rep = number(repCell, file, info.lines, 'repetition');
    const key = `${stim}\u0000${rep}`;
    let pi = presentation.get(key);
    if (pi === undefined) {
      pi = stimulusId.length;
      presentation.set(key, pi);
      stimulusId.push(stim);
      repetition.push(rep);
      objectName.push(co >= 0 ? (record[co] ?? '') : '');
    }
    let ni = neuroid.get(neu);
    if (ni === undefined) {
      ni = neuroid.size;
      neuroid.set(neu, ni);
      neuroidRegion.push(cg >= 0 ? (record[cg] ?? '') : '');
    }
    cells.push({ p: pi, n: ni, v: number(record[cv] ?? '', file, info.lines, 'value'), line: info.lines });
  }
  const q = neuroid.size;
  const values = new Float64Array(stimulusId.length * q).fill(Number.NaN);
  const lineOf = new Map<number, number>();
  for (const c of cells) {
    const k = c.p * q + c.n;
    const prev = lineOf.get(k);
    if (prev !== undefined) {
      throw new InputError(
        `${file}: line ${c.line}: the same stimulus, neuroid and repetition as line ${prev}`,
      );
    }
    lineOf.set(k, c.line);
    values[k] = c.v;
  }
  const neuroidIds = [...neuroid.keys()];
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k])) {
      const pi = Math.floor(k / q);
      throw new InputError(
        `${file}: no value for neuroid "${neuroidIds[k % q]}", stimulus "${stimulusId[pi]}", repetition ${repetition[pi]} (every presentation needs every neuroid)`,
      );
    }
  }
  return {
    source: file,
    stimulusId,
    repetition: cr >= 0 ? repetition : null,
    objectName: co >= 0 ? objectName : null,
    neuroidId: neuroidIds,
    region: cg >= 0 ? neuroidRegion : null,
    values,
    attributes: {},
  };
}
