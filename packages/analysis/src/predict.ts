/**
 * A robustness predictor from alignment benchmarks: ridge regression on ranks, judged by cross-validation.
 *
 * Protocol (per fold, so no held-out value leaks into training):
 * - every feature and the target are mapped to the mid-ECDF of the training models, T(v) = (#{train < v}
 *   + #{train = v} / 2) / #train, a rank on a 0..1 scale (held-out models are placed among the training
 *   ones the same way); a missing feature value is imputed as 0.5 (the median rank);
 * - ridge with an unpenalised intercept: minimise mean((y - b - Xw)^2) + lambda |w|^2, solved by Cholesky;
 * - the held-out predictions of all folds are pooled and compared with the true target: Spearman rho and
 *   pairwise ranking accuracy (as sklearn's cross_val_predict then a score).
 * Folds: the models with a target value are shuffled by a seeded Fisher-Yates shuffle and dealt into k
 * folds (position mod k); 'loo' is leave-one-out (no randomness). The reported weights come from the same
 * ridge fitted on all models.
 */
import { createRng } from './random.ts';
import { pairwiseRankingAccuracy } from './ranking-accuracy.ts';
import { spearman } from './spearman.ts';
import type { CorrelateInput, FeatureChoice, PredictOptions, PredictResult } from './types.ts';

export const PREDICT_DEFAULTS = { folds: 5, lambda: 0.1, seed: 0 } as const;

export function predictRobustness(input: CorrelateInput, opts: PredictOptions): PredictResult {
  const { models, columns } = input;
  const lambda = opts.lambda ?? PREDICT_DEFAULTS.lambda;
  const seed = opts.seed ?? PREDICT_DEFAULTS.seed;
  if (!(lambda > 0 && Number.isFinite(lambda)))
    throw new Error(`predictRobustness: lambda must be > 0, got ${lambda}`);
  if (!Number.isInteger(seed)) throw new Error(`predictRobustness: seed must be an integer, got ${seed}`);
  const column = (name: string, role: string): (number | null)[] => {
    const c = columns[name];
    if (!c) throw new Error(`predictRobustness: unknown ${role} column "${name}"`);
    if (c.length !== models.length) {
      throw new Error(
        `predictRobustness: column "${name}" has ${c.length} values for ${models.length} models`,
      );
    }
    return c;
  };
  const targetAll = column(opts.target, 'target');
  if (opts.features.length === 0) throw new Error('predictRobustness: no feature columns');
  if (opts.features.includes(opts.target))
    throw new Error('predictRobustness: the target cannot be a feature');
  if (new Set(opts.features).size !== opts.features.length)
    throw new Error('predictRobustness: duplicate features');
  const featureAll = opts.features.map((f) => column(f, 'feature'));

  const rows: number[] = [];
  targetAll.forEach((v, i) => {
    if (isValue(v)) rows.push(i);
  });
  const n = rows.length;
  const p = opts.features.length;
  const y = rows.map((i) => targetAll[i] as number);
  const X = rows.map((i) => featureAll.map((c) => (isValue(c[i]) ? (c[i] as number) : null)));
  const predictions: (number | null)[] = models.map(() => null);
  const requested = opts.folds ?? PREDICT_DEFAULTS.folds;
  if (requested !== 'loo' && (!Number.isInteger(requested) || requested < 2)) {
    throw new Error(`predictRobustness: folds must be an integer >= 2 or 'loo', got ${requested}`);
  }
  if (n < 3) {
    const none = { heldOutSpearman: null, heldOutRankingAccuracy: null, weights: {}, intercept: null };
    return { n, folds: 0, predictions, ...none, reason: 'n < 3' };
  }
  const k = requested === 'loo' ? n : Math.min(requested, n);

  const fold = new Int32Array(n);
  const perm = Array.from({ length: n }, (_, i) => i);
  if (requested !== 'loo') {
    const rng = createRng(seed, 'folds');
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
    }
  }
  perm.forEach((row, pos) => {
    fold[row] = pos % k;
  });

  const held = new Float64Array(n);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const model = fitRidge(train, X, y, p, lambda);
    for (const i of test) held[i] = model.predict(X[i] as (number | null)[]);
  }
  rows.forEach((modelIndex, i) => {
    predictions[modelIndex] = held[i] as number;
  });
  const truth = Float64Array.from(y);
  const rho = spearman(held, truth);
  const acc = pairwiseRankingAccuracy(held, truth);
  const full = fitRidge(
    Array.from({ length: n }, (_, i) => i),
    X,
    y,
    p,
    lambda,
  );
  return {
    n,
    folds: k,
    predictions,
    heldOutSpearman: rho.coefficient,
    heldOutRankingAccuracy: acc.accuracy,
    weights: Object.fromEntries(opts.features.map((f, j) => [f, full.w[j] as number])),
    intercept: full.b,
    reason: rho.reason ? `held-out predictions: ${rho.reason}` : null,
  };
}

function isValue(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Mid-ECDF transform against sorted training values (0.5 when missing or when there is no training value). */
function midEcdf(sorted: Float64Array, v: number | null): number {
  if (v === null || sorted.length === 0) return 0.5;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  let up = lo;
  hi = sorted.length;
  while (up < hi) {
    const mid = (up + hi) >> 1;
    if ((sorted[mid] as number) <= v) up = mid + 1;
    else hi = mid;
  }
  return (lo + (up - lo) / 2) / sorted.length;
}

function fitRidge(train: number[], X: (number | null)[][], y: number[], p: number, lambda: number) {
  const m = train.length;
  const sortedFeature = Array.from({ length: p }, (_, j) => {
    const vals = train.map((i) => (X[i] as (number | null)[])[j]).filter(isValue);
    return Float64Array.from(vals).sort();
  });
  const sortedY = Float64Array.from(train.map((i) => y[i] as number)).sort();
  const row = (xi: (number | null)[]) =>
    xi.map((v, j) => midEcdf(sortedFeature[j] as Float64Array, v ?? null));
  const Z = train.map((i) => row(X[i] as (number | null)[]));
  const t = train.map((i) => midEcdf(sortedY, y[i] as number));
  const zMean = new Float64Array(p);
  let tMean = 0;
  for (let r = 0; r < m; r++) {
    tMean += t[r] as number;
    for (let j = 0; j < p; j++) zMean[j] = (zMean[j] as number) + ((Z[r] as number[])[j] as number);
  }
  tMean /= m;
  for (let j = 0; j < p; j++) zMean[j] = (zMean[j] as number) / m;
  // A = Zc'Zc / m + lambda I, c = Zc't / m.
  const A = Array.from({ length: p }, () => new Float64Array(p));
  const c = new Float64Array(p);
  for (let r = 0; r < m; r++) {
    const zr = Z[r] as number[];
    const tr = (t[r] as number) - tMean;
    for (let a = 0; a < p; a++) {
      const da = (zr[a] as number) - (zMean[a] as number);
      c[a] = (c[a] as number) + (da * tr) / m;
      const Aa = A[a] as Float64Array;
      for (let b = 0; b <= a; b++)
        Aa[b] = (Aa[b] as number) + (da * ((zr[b] as number) - (zMean[b] as number))) / m;
    }
  }
  for (let a = 0; a < p; a++) (A[a] as Float64Array)[a] = ((A[a] as Float64Array)[a] as number) + lambda;
  const w = choleskySolve(A, c);
  let b = tMean;
  for (let j = 0; j < p; j++) b -= (w[j] as number) * (zMean[j] as number);
  return {
    w,
    b,
    predict: (xi: (number | null)[]) => {
      const z = row(xi);
      let s = b;
      for (let j = 0; j < p; j++) s += (w[j] as number) * (z[j] as number);
      return s;
    },
  };
}

/** Solves A w = c for symmetric positive definite A (lower triangle used). */
export function choleskySolve(A: Float64Array[], c: Float64Array): Float64Array {
  const p = c.length;
  const L = Array.from({ length: p }, () => new Float64Array(p));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (A[i] as Float64Array)[j] as number;
      for (let k = 0; k < j; k++)
        s -= ((L[i] as Float64Array)[k] as number) * ((L[j] as Float64Array)[k] as number);
      if (i === j) {
        if (!(s > 0)) throw new Error('choleskySolve: matrix is not positive definite');
        (L[i] as Float64Array)[i] = Math.sqrt(s);
      } else (L[i] as Float64Array)[j] = s / ((L[j] as Float64Array)[j] as number);
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = c[i] as number;
    for (let k = 0; k < i; k++) s -= ((L[i] as Float64Array)[k] as number) * (z[k] as number);
    z[i] = s / ((L[i] as Float64Array)[i] as number);
  }
  const w = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < p; k++) s -= ((L[k] as Float64Array)[i] as number) * (w[k] as number);
    w[i] = s / ((L[i] as Float64Array)[i] as number);
  }
  return w;
}

/**
 * The benchmarks the predictor uses: the candidates (named, or every column but the target) that have a
 * value for at least `minN` of the models with a target value and are not constant there.
 */
export function selectFeatures(
  input: CorrelateInput,
  target: string,
  candidates: string[],
  minN: number,
): FeatureChoice {
  const y = input.columns[target] as (number | null)[];
  const withTarget = y.map((v, i) => (v === null || !Number.isFinite(v) ? -1 : i)).filter((i) => i >= 0);
  const selected: string[] = [];
  const dropped: FeatureChoice['dropped'] = [];
  for (const c of candidates) {
    const col = input.columns[c] as (number | null)[];
    const vals = withTarget.map((i) => col[i]).filter((v): v is number => v !== null && Number.isFinite(v));
    if (vals.length < minN) dropped.push({ benchmark: c, reason: `n = ${vals.length} < ${minN}` });
    else if (vals.every((v) => v === vals[0])) dropped.push({ benchmark: c, reason: 'constant' });
    else selected.push(c);
  }
  return { selected, dropped };
}
