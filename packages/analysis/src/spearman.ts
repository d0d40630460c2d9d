/**
 * Spearman's rho: Pearson's r of the average ranks (ties get their mean rank), as scipy.stats.spearmanr.
 * p-value: two-sided, Student's t with n - 2 degrees of freedom, t = rho sqrt((n-2)/(1-rho^2)), the same
 * approximation scipy.stats.spearmanr uses (it is not exact for small n).
 */
import { correlationPValue } from './distributions.ts';
import { completeCases, isConstant, pearsonR, ranking } from './internal/paired.ts';
import type { CorrelationResult, NumericInput } from './types.ts';

export function spearman(x: NumericInput, y: NumericInput): CorrelationResult {
  const [cx, cy] = completeCases([x, y], 'spearman') as [Float64Array, Float64Array];
  return spearmanComplete(cx, cy);
}

/** Spearman on complete data (no missing values). */
export function spearmanComplete(x: Float64Array, y: Float64Array): CorrelationResult {
  const n = x.length;
  const invalid = undefinedReason(x, y);
  if (invalid) return { n, coefficient: null, pValue: null, reason: invalid };
  const rho = pearsonR(ranking(x).rank, ranking(y).rank) as number;
  return { n, coefficient: rho, pValue: correlationPValue(rho, n - 2), reason: null };
}

/** Why a correlation of complete data is undefined, or null when it is defined. */
export function undefinedReason(x: Float64Array, y: Float64Array): string | null {
  if (x.length === 0) return 'no overlapping models';
  if (x.length < 3) return 'n < 3';
  if (isConstant(x) || isConstant(y)) return 'constant column';
  return null;
}
