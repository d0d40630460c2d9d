/**
 * sklearn's NIPALS PLS regression (sklearn/cross_decomposition/_pls.py, `_PLS.fit` with
 * deflation_mode="regression", mode="A", scale=False; `_get_first_singular_vectors_power_method` with
 * max_iter=500, tol=1e-06), transcribed step by step in float64. It is the reference the kernel
 * formulation in pls.ts is tested against and the bench checks one split with; it costs O(n p q) per
 * power iteration, so it is not used for scoring.
 */
import { Matrix as MlMatrix, pseudoInverse } from 'ml-matrix';
import { columnMeans, type Matrix, matrix } from './matrix.ts';

export type NipalsModel = {
  xMean: Float64Array;
  yMean: Float64Array;
  /** p x q regression coefficients on centred X. */
  coef: MlMatrix;
  /** Power iterations per component. */
  iterations: number[];
};

export function nipalsPls(x: Matrix, y: Matrix, components: number): NipalsModel {
  const n = x.rows;
  const p = x.cols;
  const q = y.cols;
  if (components < 1 || components > p) {
    throw new Error(`n_components == ${components}, must be in [1, ${p}]`);
  }
  const xMean = columnMeans(x);
  const yMean = columnMeans(y);
  const xk = new MlMatrix(n, p);
  const yk = new MlMatrix(n, q);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) xk.set(i, j, (x.data[i * p + j] as number) - (xMean[j] as number));
    for (let j = 0; j < q; j++) yk.set(i, j, (y.data[i * q + j] as number) - (yMean[j] as number));
  }
  const eps = 2.220446049250313e-16;
  const W = new MlMatrix(p, components);
  const P = new MlMatrix(p, components);
  const Q = new MlMatrix(q, components);
  const iterations: number[] = [];
  for (let k = 0; k < components; k++) {
    // Y residual constant: sklearn warns and stops adding components
    let yres = false;
    for (let j = 0; j < q && !yres; j++)
      for (let i = 0; i < n; i++) if (Math.abs(yk.get(i, j)) > 10 * eps) yres = true;
    if (!yres) break;
    // first column of Y with a value above eps
    let col = 0;
    for (let j = 0; j < q; j++) {
      let any = false;
      for (let i = 0; i < n; i++) if (Math.abs(yk.get(i, j)) > eps) any = true;
      if (any) {
        col = j;
        break;
      }
    }
    let yScore = yk.getColumnVector(col);
    let xWeightsOld: MlMatrix = new MlMatrix(p, 1).fill(100);
    let xWeights = new MlMatrix(p, 1);
    let it = 0;
    for (it = 0; it < 500; it++) {
      xWeights = xk.transpose().mmul(yScore).div(yScore.dot(yScore));
      xWeights.div(Math.sqrt(xWeights.dot(xWeights)) + eps);
      const xScore = xk.mmul(xWeights);
      const yWeights = yk.transpose().mmul(xScore).div(xScore.dot(xScore));
      yScore = yk.mmul(yWeights).div(yWeights.dot(yWeights) + eps);
      const diff = MlMatrix.sub(xWeights, xWeightsOld);
      if (diff.dot(diff) < 1e-6 || q === 1) break;
      xWeightsOld = xWeights;
    }
    iterations.push(it + 1);
    const xScores = xk.mmul(xWeights);
    const tt = xScores.dot(xScores);
    const xLoadings = xk.transpose().mmul(xScores).div(tt);
    xk.sub(xScores.mmul(xLoadings.transpose()));
    const yLoadings = yk.transpose().mmul(xScores).div(tt);
    yk.sub(xScores.mmul(yLoadings.transpose()));
    W.setColumn(k, xWeights.getColumn(0));
    P.setColumn(k, xLoadings.getColumn(0));
    Q.setColumn(k, yLoadings.getColumn(0));
  }
  const rotations = W.mmul(pseudoInverse(P.transpose().mmul(W)));
  return { xMean, yMean, coef: rotations.mmul(Q.transpose()), iterations };
}

export function nipalsPredict(model: NipalsModel, x: Matrix): Matrix {
  const n = x.rows;
  const p = x.cols;
  const xc = new MlMatrix(n, p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) xc.set(i, j, (x.data[i * p + j] as number) - (model.xMean[j] as number));
  const pred = xc.mmul(model.coef);
  const q = model.coef.columns;
  const out = new Float64Array(n * q);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < q; j++) out[i * q + j] = pred.get(i, j) + (model.yMean[j] as number);
  return matrix(n, q, out);
}
