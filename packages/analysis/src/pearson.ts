/**
 * Pearson's r. p-value: two-sided, exact under bivariate normality: r has the Beta(n/2 - 1, n/2 - 1)
 * distribution on [-1, 1] (scipy.stats.pearsonr), which equals Student's t with n - 2 degrees of freedom;
 * computed as I_{1-r^2}((n-2)/2, 1/2).
 */
import { correlationPValue } from './distributions.ts';
import { completeCases, pearsonR } from './internal/paired.ts';
import { undefinedReason } from './spearman.ts';
import type { CorrelationResult, NumericInput } from './types.ts';

export function pearson(x: NumericInput, y: NumericInput): CorrelationResult {
  const [cx, cy] = completeCases([x, y], 'pearson') as [Float64Array, Float64Array];
  return pearsonComplete(cx, cy);
}

export function pearsonComplete(x: Float64Array, y: Float64Array): CorrelationResult {
  const n = x.length;
  const invalid = undefinedReason(x, y);
  if (invalid) return { n, coefficient: null, pValue: null, reason: invalid };
  const r = pearsonR(x, y) as number;
  return { n, coefficient: r, pValue: correlationPValue(r, n - 2), reason: null };
}
