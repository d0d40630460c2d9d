/**
 * Ridge regression with the regularisation chosen on the training part by efficient leave-one-out
 * (sklearn RidgeCV, gcv_mode "gram", fit_intercept=True, one alpha for all targets), over Brain-Score's
 * `ALPHA_LIST` (metrics/regression_correlation/metric.py, the grid of its `ridgecv` metrics).
 *
 * Dual form on the centred train Gram K = V diag(λ) V^T: G = V diag(1/(λ + α)) V^T with the eigen-direction
 * of the constant vector unpenalised (sklearn adds 11^T to K for the intercept and zeroes that direction's
 * weight), c = G Y_c, leave-one-out residuals c / diag(G), and α minimises their mean square (the first
 * best α on ties, as sklearn). Prediction: K*_c c + ȳ. The eigendecomposition is O(n^3) per split: fine for
 * hundreds of stimuli, slow (minutes per split) for thousands.
 * Note: Brain-Score's `ridge_cv` metric is plain Ridge(alpha=1); `-ridge` here follows the issue (α chosen
 * by cross-validation on the training part), recorded with the score.
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { type Matrix, matrix } from './matrix.ts';

function linspace(a: number, b: number, n: number, endpoint: boolean): number[] {
  const step = (b - a) / (endpoint ? n - 1 : n);
  return Array.from({ length: n }, (_, i) => a + i * step);
}

/** Brain-Score's ALPHA_LIST. */
export const RIDGE_ALPHAS: readonly number[] = [
  0.01,
  0.1,
  0.5,
  1.0,
  ...linspace(1e1, 1e2, 4, false),
  ...linspace(1e2, 1e3, 18, false),
  ...linspace(1e3, 1e4, 18, false),
  ...linspace(1e4, 1e5, 18, false),
  ...linspace(1e5, 1e6, 18, false),
  ...linspace(1e6, 1e7, 19, true),
];

export type RidgeInput = {
  gram: Float64Array;
  size: number;
  y: Matrix;
  train: ArrayLike<number>;
  test: ArrayLike<number>;
  alphas?: readonly number[];
};

export function ridgeCvPredictFromGram(input: RidgeInput): { prediction: Matrix; alpha: number } {
  const { gram: g, size: n, y, train, test } = input;
  const alphas = input.alphas ?? RIDGE_ALPHAS;
  const m = train.length;
  const q = y.cols;
  if (m < 3) throw new Error(`ridge needs at least 3 training samples, got ${m}`);
  // centred train Gram
  const k = new MlMatrix(m, m);
  const rowMean = new Float64Array(m);
  let grand = 0;
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let b = 0; b < m; b++) s += g[(train[a] as number) * n + (train[b] as number)] as number;
    rowMean[a] = s / m;
    grand += s;
  }
  grand /= m * m;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const v = g[(train[a] as number) * n + (train[b] as number)] as number;
      k.set(a, b, v - (rowMean[a] as number) - (rowMean[b] as number) + grand);
    }
  }
  const ymean = new Float64Array(q);
  for (let a = 0; a < m; a++)
    for (let j = 0; j < q; j++)
      ymean[j] = (ymean[j] as number) + (y.data[(train[a] as number) * q + j] as number) / m;
  const yc = new MlMatrix(m, q);
  for (let a = 0; a < m; a++)
    for (let j = 0; j < q; j++)
      yc.set(a, j, (y.data[(train[a] as number) * q + j] as number) - (ymean[j] as number));
  const evd = new EigenvalueDecomposition(k, { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const v = evd.eigenvectorMatrix;
  // the eigenvector closest to the constant direction carries the intercept
  let interceptDim = 0;
  let best = -1;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += v.get(a, i);
    if (Math.abs(s) > best) {
      best = Math.abs(s);
      interceptDim = i;
    }
  }
  // plain row-major copies: the alpha loop is m^2 q per alpha
  const vd = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let i = 0; i < m; i++) vd[a * m + i] = v.get(a, i);
  const vty = new Float64Array(m * q); // V^T Yc
  for (let a = 0; a < m; a++) {
    for (let i = 0; i < m; i++) {
      const vai = vd[a * m + i] as number;
      for (let j = 0; j < q; j++) vty[i * q + j] = (vty[i * q + j] as number) + vai * yc.get(a, j);
    }
  }
  let bestAlpha = alphas[0] as number;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestC = new Float64Array(0);
  const wv = new Float64Array(m * q);
  for (const alpha of alphas) {
    const w = lambda.map((l, i) => (i === interceptDim ? 0 : 1 / (l + alpha)));
    for (let i = 0; i < m; i++)
      for (let j = 0; j < q; j++) wv[i * q + j] = (w[i] as number) * (vty[i * q + j] as number);
    const c = new Float64Array(m * q); // G Yc = V diag(w) V^T Yc
    let se = 0;
    for (let a = 0; a < m; a++) {
      let ga = 0; // diag(G)_a = sum_i w_i V_ai^2
      const row = a * m;
      for (let i = 0; i < m; i++) {
        const vai = vd[row + i] as number;
        ga += (w[i] as number) * vai * vai;
        for (let j = 0; j < q; j++) c[a * q + j] = (c[a * q + j] as number) + vai * (wv[i * q + j] as number);
      }
      for (let j = 0; j < q; j++) se += ((c[a * q + j] as number) / ga) ** 2;
    }
    const score = -se / (m * q);
    if (score > bestScore) {
      bestScore = score;
      bestAlpha = alpha;
      bestC = c;
    }
  }
  const c = bestC;
  // K*_c c + ȳ
  const nt = test.length;
  const pred = new Float64Array(nt * q);
  for (let i = 0; i < nt; i++) {
    const gi = (test[i] as number) * n;
    let s = 0;
    for (let b = 0; b < m; b++) s += g[gi + (train[b] as number)] as number;
    const rm = s / m;
    for (let b = 0; b < m; b++) {
      const kib = (g[gi + (train[b] as number)] as number) - rm - (rowMean[b] as number) + grand;
      for (let j = 0; j < q; j++)
        pred[i * q + j] = (pred[i * q + j] as number) + kib * (c[b * q + j] as number);
    }
    for (let j = 0; j < q; j++) pred[i * q + j] = (pred[i * q + j] as number) + (ymean[j] as number);
  }
  return { prediction: matrix(nt, q, pred), alpha: bestAlpha };
}
