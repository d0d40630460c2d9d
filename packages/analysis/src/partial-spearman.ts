/**
 * Partial Spearman correlation of x and y controlling for z: the first-order partial correlation of the
 * average ranks, r_xy.z = (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2)), which equals the Pearson
 * correlation of the ranks of x and y after regressing each on the ranks of z. p-value: Student's t with
 * n - 3 degrees of freedom (one covariate), as pingouin.partial_corr and R's ppcor.
 */
import { correlationPValue } from './distributions.ts';
import { completeCases, isConstant, pearsonR, ranking } from './internal/paired.ts';
import type { CorrelationResult, NumericInput } from './types.ts';

export function partialSpearman(x: NumericInput, y: NumericInput, z: NumericInput): CorrelationResult {
  const [cx, cy, cz] = completeCases([x, y, z], 'partialSpearman') as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return partialSpearmanFromRanks(cx, cy, cz, (v) => ranking(v).rank);
}

export function partialSpearmanFromRanks(
  x: Float64Array,
  y: Float64Array,
  z: Float64Array,
  rank: (v: Float64Array) => Float64Array,
): CorrelationResult {
  const n = x.length;
  const none = (reason: string): CorrelationResult => ({ n, coefficient: null, pValue: null, reason });
  if (n === 0) return none('no overlapping models');
  if (n < 4) return none('n < 4');
  if (isConstant(x) || isConstant(y)) return none('constant column');
  if (isConstant(z)) return none('constant covariate');
  const rx = rank(x);
  const ry = rank(y);
  const rz = rank(z);
  const rxy = pearsonR(rx, ry) as number;
  const rxz = pearsonR(rx, rz) as number;
  const ryz = pearsonR(ry, rz) as number;
  const denom = (1 - rxz * rxz) * (1 - ryz * ryz);
  if (!(denom > 1e-15)) return none('covariate ranks determine a variable');
  const r = Math.max(-1, Math.min(1, (rxy - rxz * ryz) / Math.sqrt(denom)));
  return { n, coefficient: r, pValue: correlationPValue(r, n - 3), reason: null };
}
