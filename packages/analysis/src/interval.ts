/**
 * Uncertainty intervals of single scores, stored with every score (`ciLow`, `ciHigh`, `ciMethod`).
 *
 * - `clopperPearson`: the exact binomial interval of Clopper & Pearson (Biometrika 1934) for k successes
 *   in n trials, from the beta quantile: low = B⁻¹(α/2; k, n − k + 1) (0 when k = 0),
 *   high = B⁻¹(1 − α/2; k + 1, n − k) (1 when k = n) — as statsmodels' `proportion_confint(method='beta')`.
 *   Used for accuracies and robust accuracies.
 * - `bootstrapStrata`: a seeded percentile bootstrap over trials (Efron & Tibshirani 1993, ch. 13): each
 *   resample draws every stratum's items with replacement (multiplicities, never re-sorted), evaluates one
 *   or more statistics on it, and the interval of each statistic is the type-7 (α/2, 1 − α/2) quantile
 *   pair of its defined (non-NaN) resampled values. Used for shape bias and error consistency
 *   (packages/behavior), where a stratum is a condition.
 */
import betaincinv from '@stdlib/math-base-special-betaincinv';
import { quantile } from './bootstrap.ts';
import { createRng } from './random.ts';

/** The confidence level of every stored score interval. */
export const SCORE_CI_LEVEL = 0.95;

export type Interval = { low: number; high: number };

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`interval level must be in (0, 1), got ${level}`);
}

/** Exact (Clopper-Pearson) interval of a binomial proportion k / n. */
export function clopperPearson(k: number, n: number, level: number = SCORE_CI_LEVEL): Interval {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`Clopper-Pearson: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`Clopper-Pearson: k must be an integer in [0, ${n}], got ${k}`);
  }
  checkLevel(level);
  const alpha = 1 - level;
  return {
    low: k === 0 ? 0 : betaincinv(alpha / 2, k, n - k + 1),
    high: k === n ? 1 : betaincinv(1 - alpha / 2, k + 1, n - k),
  };
}

export const SCORE_BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 0, level: SCORE_CI_LEVEL } as const;

export type StrataBootstrapOptions = { resamples?: number; seed?: number; level?: number };

export type StrataBootstrapResult = {
  /** One interval per statistic; null where no resample gave a defined value. */
  intervals: (Interval | null)[];
  /** Resamples with a defined value, per statistic. */
  used: number[];
  resamples: number;
  seed: number;
  level: number;
};

/**
 * Percentile bootstrap over the items of `strata` (their sizes): `statistics(counts)` gets one
 * multiplicity array per stratum (counts[s][i] = how often item i of stratum s was drawn; each stratum's
 * counts sum to its size) and returns `m` values (NaN or ±Infinity where undefined, e.g. a ratio over a zero ceiling; such values are dropped). Deterministic for a seed.
 */
export function bootstrapStrata(
  strata: readonly number[],
  m: number,
  statistics: (counts: readonly Uint32Array[]) => ArrayLike<number>,
  opts: StrataBootstrapOptions = {},
): StrataBootstrapResult {
  const resamples = opts.resamples ?? SCORE_BOOTSTRAP_DEFAULTS.resamples;
  const seed = opts.seed ?? SCORE_BOOTSTRAP_DEFAULTS.seed;
  const level = opts.level ?? SCORE_BOOTSTRAP_DEFAULTS.level;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap resamples must be a positive integer, got ${resamples}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`bootstrap seed must be an integer, got ${seed}`);
  checkLevel(level);
  if (strata.length === 0 || strata.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('bootstrap: every stratum needs at least one item');
  }
  const rng = createRng(seed);
  const counts = strata.map((n) => new Uint32Array(n));
  const values = Array.from({ length: m }, () => new Float64Array(resamples));
  const used = new Array<number>(m).fill(0);
  for (let b = 0; b < resamples; b++) {
    for (const c of counts) {
      c.fill(0);
      for (let k = 0; k < c.length; k++) {
        const i = rng.nextInt(c.length);
        c[i] = (c[i] as number) + 1;
      }
    }
    const v = statistics(counts);
    if (v.length !== m)
      throw new Error(`bootstrap: the statistic returned ${v.length} values, expected ${m}`);
    for (let j = 0; j < m; j++) {
      const x = v[j] as number;
      if (Number.isFinite(x)) {
        const arr = values[j] as Float64Array;
        arr[used[j] as number] = x;
        used[j] = (used[j] as number) + 1;
      }
    }
  }
  const alpha = (1 - level) / 2;
  const intervals = values.map((arr, j) => {
    const u = used[j] as number;
    if (u === 0) return null;
    const sorted = arr.subarray(0, u).sort();
    return { low: quantile(sorted, alpha), high: quantile(sorted, 1 - alpha) };
  });
  return { intervals, used, resamples, seed, level };
}

/** The `ciMethod` text of a Clopper-Pearson interval. */
export function clopperPearsonMethod(level: number = SCORE_CI_LEVEL): string {
  return `clopper-pearson ${Math.round(level * 100)}%`;
}

/** The `ciMethod` text of a trial bootstrap (its resamples and seed recorded). */
export function trialBootstrapMethod(r: Pick<StrataBootstrapResult, 'resamples' | 'seed' | 'level'>): string {
  return `bootstrap ${Math.round(r.level * 100)}% percentile over trials (${r.resamples} resamples, seed ${r.seed})`;
}
