/**
 * Ordinary least squares of y on x with an intercept (y = intercept + slope x): R^2, and the F test of the
 * slope, F = R^2 / (1 - R^2) (n - 2) on (1, n - 2) degrees of freedom (scipy.stats.linregress; for one
 * regressor its p-value equals Pearson's).
 */
import { fSurvival } from './distributions.ts';
import { centredMoments, completeCases, isConstant } from './internal/paired.ts';
import type { NumericInput, OlsResult } from './types.ts';

export function ols(x: NumericInput, y: NumericInput): OlsResult {
  const [cx, cy] = completeCases([x, y], 'ols') as [Float64Array, Float64Array];
  return olsComplete(cx, cy);
}

export function olsComplete(x: Float64Array, y: Float64Array): OlsResult {
  const n = x.length;
  const empty = { n, slope: null, intercept: null, r2: null, fStatistic: null, fPValue: null };
  if (n === 0) return { ...empty, reason: 'no overlapping models' };
  if (n < 3) return { ...empty, reason: 'n < 3' };
  if (isConstant(x)) return { ...empty, reason: 'constant column' };
  const { mx, my, sxx, syy, sxy } = centredMoments(x, y);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (isConstant(y)) {
    return {
      n,
      slope: 0,
      intercept: y[0] as number,
      r2: null,
      fStatistic: null,
      fPValue: null,
      reason: 'constant column',
    };
  }
  const r2 = Math.min(1, (sxy * sxy) / (sxx * syy));
  if (r2 === 1)
    return { n, slope, intercept, r2, fStatistic: null, fPValue: 0, reason: 'perfect fit: F is infinite' };
  const fStatistic = (r2 / (1 - r2)) * (n - 2);
  return { n, slope, intercept, r2, fStatistic, fPValue: fSurvival(fStatistic, 1, n - 2), reason: null };
}
