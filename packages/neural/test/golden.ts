/** Reference numbers from scripts/golden.py (sklearn, scipy, numpy; versions in golden.json). */
import { readFileSync } from 'node:fs';
import { fromRows, type Matrix } from '../src/matrix.ts';

type Rows = number[][];
export type PlsCase = {
  x: Rows;
  y: Rows;
  nTrain: number;
  components: number;
  sklearn: Rows;
  sklearnTight: Rows;
  exact: Rows;
};
export type Golden = {
  versions: Record<string, string>;
  plsSmall: PlsCase;
  plsWide: PlsCase;
  plsConstant: PlsCase;
  tooManyComponents: string;
  crossValidated: {
    x: Rows;
    y: Rows;
    splits: { train: number[]; test: number[] }[];
    components: number;
    perSplit: number[];
    mean: number;
    error: number;
    perSplitTight: number[];
    meanTight: number;
  };
  ridge: { x: Rows; y: Rows; nTrain: number; alpha: number; prediction: Rows; alphas: number[] };
  similarity: { a: Rows; b: Rows; rdmSpearman: number; unbiasedCka: number; biasedCka: number };
};

export const golden = JSON.parse(readFileSync(new URL('./golden.json', import.meta.url), 'utf8')) as Golden;
export const m = (rows: Rows): Matrix => fromRows(rows);
export const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** Largest |a - b| over two equal-shape row arrays, relative to the largest |b|. */
export function maxRelDiff(a: Matrix, b: Rows): number {
  let diff = 0;
  let scale = 0;
  b.forEach((row, i) => {
    row.forEach((v, j) => {
      diff = Math.max(diff, Math.abs((a.data[i * a.cols + j] as number) - v));
      scale = Math.max(scale, Math.abs(v));
    });
  });
  return diff / scale;
}
