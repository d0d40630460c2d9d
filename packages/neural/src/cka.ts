/**
 * Linear centred kernel alignment as Brain-Score's `cka` metric (metrics/cka/metric.py; Kornblith et al.
 * 2019): by default the unbiased estimator (`unbiased_linear_CKA`: Song et al.'s unbiased HSIC on the
 * linear kernels X X^T and Y Y^T, 0 when HSIC(X,X) HSIC(Y,Y) <= 0, +1e-12 in the denominator), or the
 * biased one (HSIC of the doubly centred kernels). Cross-validated like the RDM metric: the mean over
 * splits that each keep 90% of the stimuli.
 */
import type { Matrix } from './matrix.ts';

function linearKernel(x: Matrix, rows: ArrayLike<number>): Float64Array {
  const n = rows.length;
  const p = x.cols;
  const k = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ba = (rows[a] as number) * p;
    for (let b = 0; b <= a; b++) {
      const bb = (rows[b] as number) * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += (x.data[ba + j] as number) * (x.data[bb + j] as number);
      k[a * n + b] = s;
      k[b * n + a] = s;
    }
  }
  return k;
}

/** Song et al.'s unbiased HSIC of two n x n linear kernels (the diagonals are ignored). */
export function unbiasedHsic(k: Float64Array, l: Float64Array, n: number): number {
  if (n < 4) throw new Error(`unbiased HSIC requires at least 4 samples, got n=${n}`);
  let term1 = 0;
  let sumK = 0;
  let sumL = 0;
  let term3 = 0;
  for (let a = 0; a < n; a++) {
    let ka = 0;
    let la = 0;
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const kv = k[a * n + b] as number;
      const lv = l[a * n + b] as number;
      term1 += kv * lv;
      ka += kv;
      la += lv;
    }
    sumK += ka;
    sumL += la;
    term3 += ka * la;
  }
  return (term1 + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 * term3) / (n - 2)) / (n * (n - 3));
}

/** HSIC of the doubly centred kernels: sum((H K H) * (H L H)). */
function biasedHsic(k: Float64Array, l: Float64Array, n: number): number {
  const centre = (m: Float64Array) => {
    const row = new Float64Array(n);
    let grand = 0;
    for (let a = 0; a < n; a++) {
      let s = 0;
      for (let b = 0; b < n; b++) s += m[a * n + b] as number;
      row[a] = s / n;
      grand += s;
    }
    grand /= n * n;
    const out = new Float64Array(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++)
        out[a * n + b] = (m[a * n + b] as number) - (row[a] as number) - (row[b] as number) + grand;
    return out;
  };
  const kc = centre(k);
  const lc = centre(l);
  let s = 0;
  for (let i = 0; i < n * n; i++) s += (kc[i] as number) * (lc[i] as number);
  return s;
}

/** Linear CKA between the rows `index` of x and of y (the same stimuli, in the same order). */
export function linearCka(
  x: Matrix,
  y: Matrix,
  options: { unbiased?: boolean; index?: ArrayLike<number> } = {},
): number {
  if (x.rows !== y.rows) throw new Error(`CKA needs the same stimuli: ${x.rows} and ${y.rows} rows`);
  const rows = options.index ?? Array.from({ length: x.rows }, (_, i) => i);
  const n = rows.length;
  const k = linearKernel(x, rows);
  const l = linearKernel(y, rows);
  if (options.unbiased ?? true) {
    const xy = unbiasedHsic(k, l, n);
    const prod = unbiasedHsic(k, k, n) * unbiasedHsic(l, l, n);
    return prod <= 0 ? 0 : xy / (Math.sqrt(prod) + 1e-12);
  }
  return biasedHsic(k, l, n) / Math.sqrt(biasedHsic(k, k, n) * biasedHsic(l, l, n));
}
