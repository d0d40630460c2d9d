/** Seeded synthetic data for the tests: normal draws from @alignscope/analysis's xoshiro128**. */
import { createRng } from '@alignscope/analysis';
import { type Matrix, matrix } from '../src/matrix.ts';

export function normals(seed: number, label = '') {
  const rng = createRng(seed, label);
  return () => {
    const u = 1 - rng.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  };
}

export function randomMatrix(rows: number, cols: number, next: () => number, scale = 1): Matrix {
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = scale * next();
  return matrix(rows, cols, d);
}

export function mul(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k] as number;
      for (let j = 0; j < b.cols; j++)
        out[i * b.cols + j] = (out[i * b.cols + j] as number) + v * (b.data[k * b.cols + j] as number);
    }
  return matrix(a.rows, b.cols, out);
}

/**
 * Trials from a signal (stimulus x neuroid) plus independent N(0, sigma^2) noise per repetition:
 * values[stim, neuroid, rep].
 */
export function trialsFrom(signal: Matrix, reps: number, sigma: number, next: () => number) {
  const values = new Float64Array(signal.rows * signal.cols * reps);
  for (let i = 0; i < signal.rows * signal.cols; i++)
    for (let r = 0; r < reps; r++) values[i * reps + r] = (signal.data[i] as number) + sigma * next();
  return { stimuli: signal.rows, neuroids: signal.cols, repetitions: reps, values };
}

/** Columns scaled to unit variance (so a signal's variance is known exactly). */
export function standardiseColumns(m: Matrix): Matrix {
  const out = Float64Array.from(m.data);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let i = 0; i < m.rows; i++) mean += out[i * m.cols + j] as number;
    mean /= m.rows;
    let ss = 0;
    for (let i = 0; i < m.rows; i++) ss += ((out[i * m.cols + j] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / m.rows);
    for (let i = 0; i < m.rows; i++) out[i * m.cols + j] = ((out[i * m.cols + j] as number) - mean) / sd;
  }
  return matrix(m.rows, m.cols, out);
}
