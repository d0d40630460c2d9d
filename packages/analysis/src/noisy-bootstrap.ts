/**
 * A bootstrap of a correlation that knows its inputs are noisy: each resample draws the models with
 * replacement (the same row multiplicities as `percentileBootstrap` with the same seed) and also
 * redraws each drawn model's two scores within their uncertainty intervals — uniformly on
 * [low, high], one draw per model and resample shared by its copies; a score without an interval
 * stays at its value. The interval is the percentile interval of the resampled coefficients (type-7
 * quantiles, as `percentileBootstrap`); resamples with an undefined coefficient are dropped.
 *
 * The sign of the coefficient is called stable when the interval lies on the estimate's side of 0
 * (strictly); `sameSign` is the fraction of used resamples whose coefficient has the estimate's sign.
 *
 * The noise comes from its own stream (`createRng(seed, 'noisy-inputs')`, two uniforms per row and
 * resample, x then y, rows in input order, drawn for every row, so the stream does not depend on
 * which rows are missing). Each resample costs one plain coefficient on the expanded rows:
 * O(B · N log N), meant for one pair at a time (the explorer's scatter pair), not a whole table.
 */
import { drawResamples, quantile, resolveBootstrap } from './bootstrap.ts';
import { kendallTauB } from './kendall.ts';
import { pearson } from './pearson.ts';
import { createRng } from './random.ts';
import { spearman } from './spearman.ts';
import type { BootstrapOptions, CorrelationMethod, NumericInput } from './types.ts';

/** Per row, the bounds of the score's interval (null: no interval, the value is kept). */
export type IntervalInput = { low: readonly (number | null)[]; high: readonly (number | null)[] };

export type NoisyBootstrapResult = {
  /** The coefficient on the values as given (null when undefined). */
  estimate: number | null;
  low: number | null;
  high: number | null;
  used: number;
  /** Whether the interval excludes 0 on the estimate's side (null without an interval). */
  signStable: boolean | null;
  /** Fraction of used resamples with the estimate's sign (null without an estimate). */
  sameSign: number | null;
  reason: string | null;
};

const coefficient = (method: CorrelationMethod, x: number[], y: number[]): number | null =>
  method === 'spearman'
    ? spearman(x, y).coefficient
    : method === 'pearson'
      ? pearson(x, y).coefficient
      : kendallTauB(x, y, { method: 'asymptotic' }).coefficient;

const present = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

export function noisyBootstrap(
  x: NumericInput,
  y: NumericInput,
  xInterval: IntervalInput,
  yInterval: IntervalInput,
  method: CorrelationMethod,
  opts: BootstrapOptions = {},
): NoisyBootstrapResult {
  const n = x.length;
  if (y.length !== n || xInterval.low.length !== n || xInterval.high.length !== n) {
    throw new Error('noisyBootstrap: x, y and the intervals must have one entry per row');
  }
  if (yInterval.low.length !== n || yInterval.high.length !== n) {
    throw new Error('noisyBootstrap: x, y and the intervals must have one entry per row');
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (present(x[i]) && present(y[i])) rows.push(i);
  const bounds = (iv: IntervalInput, v: NumericInput, i: number): [number, number] => {
    const lo = iv.low[i];
    const hi = iv.high[i];
    if (!present(lo) || !present(hi)) return [v[i] as number, v[i] as number];
    if (lo > hi) throw new Error(`noisyBootstrap: interval at row ${i} has low ${lo} > high ${hi}`);
    return [lo, hi];
  };
  const xb = rows.map((i) => bounds(xInterval, x, i));
  const yb = rows.map((i) => bounds(yInterval, y, i));
  const estimate = coefficient(
    method,
    rows.map((i) => x[i] as number),
    rows.map((i) => y[i] as number),
  );
  const empty = (reason: string): NoisyBootstrapResult => ({
    estimate,
    low: null,
    high: null,
    used: 0,
    signStable: null,
    sameSign: null,
    reason,
  });
  if (estimate === null) return empty('the coefficient is undefined on the values as given');
  const resolved = resolveBootstrap(opts);
  const draws = drawResamples(n, resolved);
  const noise = createRng(resolved.seed, 'noisy-inputs');
  const u = new Float64Array(2 * n);
  const stats: number[] = [];
  for (let b = 0; b < resolved.resamples; b++) {
    for (let k = 0; k < 2 * n; k++) u[k] = noise.nextFloat();
    const xs: number[] = [];
    const ys: number[] = [];
    rows.forEach((i, k) => {
      const c = draws.counts[b * n + i] as number;
      if (c === 0) return;
      const [xl, xh] = xb[k] as [number, number];
      const [yl, yh] = yb[k] as [number, number];
      const xv = xl + (u[2 * i] as number) * (xh - xl);
      const yv = yl + (u[2 * i + 1] as number) * (yh - yl);
      for (let j = 0; j < c; j++) {
        xs.push(xv);
        ys.push(yv);
      }
    });
    const r = xs.length >= 3 ? coefficient(method, xs, ys) : null;
    if (r !== null) stats.push(r);
  }
  if (stats.length === 0) return empty('no resample had a defined coefficient');
  const sorted = Float64Array.from(stats).sort();
  const alpha = (1 - resolved.level) / 2;
  const low = quantile(sorted, alpha);
  const high = quantile(sorted, 1 - alpha);
  const sign = Math.sign(estimate);
  return {
    estimate,
    low,
    high,
    used: stats.length,
    signStable: sign > 0 ? low > 0 : sign < 0 ? high < 0 : false,
    sameSign: sign === 0 ? 0 : stats.filter((s) => Math.sign(s) === sign).length / stats.length,
    reason: null,
  };
}
