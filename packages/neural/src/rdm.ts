/**
 * Representational similarity analysis as Brain-Score's `rdm` metric (metrics/rdm/metric.py): the RDM of
 * a stimulus x neuroid matrix is 1 - the Pearson correlation between stimuli (numpy corrcoef over rows),
 * two RDMs are compared by the Spearman correlation of their upper triangles (k = 1), and
 * `RDMCrossValidated` averages that over splits that each keep a random 90% of the stimuli
 * (TestOnlyCrossValidation with test_size 0.9).
 */
import { spearman } from '@alignscope/analysis';
import type { Matrix } from './matrix.ts';

/** The upper triangle (row by row, k = 1) of the RDM of the rows `index` of `x`. */
export function rdmUpperTriangle(x: Matrix, index?: ArrayLike<number>): Float64Array {
  const rows = index ?? Array.from({ length: x.rows }, (_, i) => i);
  const n = rows.length;
  const p = x.cols;
  // rows centred and scaled to unit norm, so a dot product is a correlation
  const z = new Float64Array(n * p);
  for (let a = 0; a < n; a++) {
    const base = (rows[a] as number) * p;
    let mean = 0;
    for (let j = 0; j < p; j++) mean += x.data[base + j] as number;
    mean /= p;
    let ss = 0;
    for (let j = 0; j < p; j++) {
      const d = (x.data[base + j] as number) - mean;
      z[a * p + j] = d;
      ss += d * d;
    }
    if (!(ss > 0))
      throw new Error(`RDM: stimulus row ${rows[a]} is constant, its correlations are undefined`);
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < p; j++) z[a * p + j] = (z[a * p + j] as number) * inv;
  }
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (z[a * p + j] as number) * (z[b * p + j] as number);
      out[k++] = 1 - s;
    }
  }
  return out;
}

/** Spearman rho between the upper triangles of two RDMs. */
export function rdmSimilarity(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error(`RDMs of different sizes (${a.length} and ${b.length} pairs)`);
  const r = spearman(a, b);
  if (r.coefficient === null) throw new Error(`RDM similarity undefined: ${r.reason}`);
  return r.coefficient;
}
