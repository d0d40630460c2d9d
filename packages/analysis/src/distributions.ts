/**
 * Tail probabilities used by the p-values, on top of stdlib's incomplete beta function and erfc (ports of
 * Boost.Math / Cephes, accurate to near double precision). Upper tails are computed directly, never as
 * 1 - cdf, so tiny p-values keep their precision.
 */
import betainc from '@stdlib/math-base-special-betainc';
import erfc from '@stdlib/math-base-special-erfc';

/**
 * Two-sided p-value of a correlation coefficient r under H0 with `df` degrees of freedom, via Student's t:
 * t = r sqrt(df / (1 - r^2)), P(|T_df| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2) = I_{1-r^2}(df/2, 1/2).
 * Used by Spearman (df = n - 2, as scipy.stats.spearmanr), Pearson (df = n - 2: identical to scipy.stats.pearsonr's
 * exact beta distribution of r under bivariate normality) and partial Spearman (df = n - 3).
 */
export function correlationPValue(r: number, df: number): number {
  if (df <= 0) return Number.NaN;
  const oneMinusR2 = (1 - r) * (1 + r);
  if (oneMinusR2 <= 0) return 0;
  return Math.min(1, betainc(Math.min(1, oneMinusR2), df / 2, 0.5));
}

/** P(F > f) for F(d1, d2): I_{d2/(d2 + d1 f)}(d2/2, d1/2). */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (!(f >= 0)) return Number.NaN;
  if (f === Number.POSITIVE_INFINITY) return 0;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Two-sided normal p-value 2 P(Z >= |z|) = erfc(|z| / sqrt 2). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}
