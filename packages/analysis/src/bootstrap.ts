/**
 * Seeded percentile bootstrap confidence interval of a correlation coefficient (Efron & Tibshirani 1993,
 * ch. 13): resample the models (rows) with replacement, recompute the coefficient on the drawn rows that
 * have both values, and take the (1-level)/2 and (1+level)/2 quantiles of the resampled coefficients
 * (linear interpolation between order statistics, numpy's default, as
 * scipy.stats.bootstrap(method='percentile')). Resamples where the coefficient is undefined (a constant
 * column, fewer than 3 pairs) are dropped and left out of `used`.
 *
 * The resamples are drawn once per call (B x N row multiplicities, from the seed) and shared by every
 * benchmark of `correlate`, so a benchmark's interval equals `percentileBootstrap` on its two columns with
 * the same seed. A resample is a vector of multiplicities, never re-sorted: its ranks follow from the tie
 * groups of the original sort (a group's midrank is the weight of the groups below it plus (its weight +
 * 1) / 2), so Spearman and Pearson cost O(n) per resample and Kendall O(n log n).
 */
import { completeCases, type Ranking, ranking } from './internal/paired.ts';
import { kendallCounts, kendallScratch, tauB } from './kendall.ts';
import { createRng } from './random.ts';
import { undefinedReason } from './spearman.ts';
import type { BootstrapOptions, BootstrapResult, CorrelationMethod, NumericInput } from './types.ts';

export const BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 0, level: 0.95 } as const;

export type ResolvedBootstrap = { resamples: number; seed: number; level: number };

export function resolveBootstrap(opts: BootstrapOptions = {}): ResolvedBootstrap {
  const resamples = opts.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const seed = opts.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const level = opts.level ?? BOOTSTRAP_DEFAULTS.level;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap resamples must be a positive integer, got ${resamples}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`bootstrap seed must be an integer, got ${seed}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap level must be in (0, 1), got ${level}`);
  return { resamples, seed, level };
}

/** Row multiplicities of `resamples` draws of `rows` rows with replacement: counts[b * rows + i]. */
export type Resamples = { resamples: number; rows: number; counts: Uint32Array; level: number };

export function drawResamples(rows: number, opts: ResolvedBootstrap): Resamples {
  const rng = createRng(opts.seed);
  const counts = new Uint32Array(opts.resamples * rows);
  for (let b = 0; b < opts.resamples; b++) {
    const off = b * rows;
    for (let k = 0; k < rows; k++) {
      const i = off + rng.nextInt(rows);
      counts[i] = (counts[i] as number) + 1;
    }
  }
  return { resamples: opts.resamples, rows, counts, level: opts.level };
}

export function percentileBootstrap(
  x: NumericInput,
  y: NumericInput,
  statistic: CorrelationMethod,
  opts: BootstrapOptions = {},
): BootstrapResult {
  const [cx, cy, row] = completeCases(
    [x, y, Array.from({ length: x.length }, (_, i) => i)],
    'percentileBootstrap',
  ) as [Float64Array, Float64Array, Float64Array];
  const resamples = drawResamples(x.length, resolveBootstrap(opts));
  return bootstrapPairs(Int32Array.from(row), cx, cy, ranking(cx), ranking(cy), statistic, resamples);
}

/**
 * The interval for the complete pairs (x[i], y[i]) that sit in rows `row[i]` of the resampled table.
 */
export function bootstrapPairs(
  row: Int32Array,
  x: Float64Array,
  y: Float64Array,
  xr: Ranking,
  yr: Ranking,
  statistic: CorrelationMethod,
  resamples: Resamples,
): BootstrapResult {
  const invalid = undefinedReason(x, y);
  if (invalid) return { low: null, high: null, used: 0, reason: invalid };
  const stat =
    statistic === 'spearman'
      ? spearmanResampler(row, xr, yr, resamples)
      : statistic === 'pearson'
        ? pearsonResampler(row, x, y, xr, yr, resamples)
        : kendallResampler(row, xr, yr, resamples);
  const stats = new Float64Array(resamples.resamples);
  let used = 0;
  for (let b = 0; b < resamples.resamples; b++) {
    const s = stat(b);
    if (!Number.isNaN(s)) stats[used++] = s;
  }
  if (used === 0) return { low: null, high: null, used, reason: 'no resample had a defined coefficient' };
  const sorted = stats.subarray(0, used).sort();
  const alpha = (1 - resamples.level) / 2;
  return { low: quantile(sorted, alpha), high: quantile(sorted, 1 - alpha), used, reason: null };
}

/** Type-7 (linear interpolation) quantile of an ascending array. */
export function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/** Positions [start, end) of the tie groups with more than one member, in sorted order. */
function tieRuns(r: Ranking): Int32Array {
  const runs: number[] = [];
  let k = 0;
  while (k < r.n) {
    const g = r.group[r.order[k] as number] as number;
    const size = r.groupSize[g] as number;
    if (size > 1) runs.push(k, k + size);
    k += size;
  }
  return Int32Array.from(runs);
}

/**
 * Spearman on resample b, in two branch-free passes over typed arrays. Pass A walks the items in y order:
 * it gathers each item's multiplicity c and gives it the midrank (weight below) + (c + 1) / 2, right for an
 * item without ties (copies of one item are tied with each other); y tie groups then get their group
 * midrank. Pass B walks the items in x order, ranks them the same way and accumulates the weighted sums;
 * x tie groups are corrected afterwards. Ranks are multiples of 1/2, so for fewer than ~10^5 models every
 * sum is exact in double precision and a zero rank variance (a constant resample) is detected exactly.
 */
function spearmanResampler(row: Int32Array, xr: Ranking, yr: Ranking, rs: Resamples): (b: number) => number {
  const n = xr.n;
  const yRow = new Int32Array(n);
  const yPos = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const item = yr.order[k] as number;
    yRow[k] = row[item] as number;
    yPos[item] = k;
  }
  const yPosOfX = new Int32Array(n);
  for (let k = 0; k < n; k++) yPosOfX[k] = yPos[xr.order[k] as number] as number;
  const plan: SpearmanPlan = {
    n,
    yRow,
    yPosOfX,
    yTies: tieRuns(yr),
    xTies: tieRuns(xr),
    w: new Float64Array(n),
    ry: new Float64Array(n),
    cumX: new Float64Array(n),
    counts: rs.counts,
    rows: rs.rows,
  };
  return (b) => spearmanOnce(plan, b);
}

type SpearmanPlan = {
  n: number;
  /** Table row of the k-th item in y order. */
  yRow: Int32Array;
  /** y-order position of the k-th item in x order. */
  yPosOfX: Int32Array;
  yTies: Int32Array;
  xTies: Int32Array;
  /** Scratch, indexed by y-order position: multiplicity and y midrank. */
  w: Float64Array;
  ry: Float64Array;
  /** Scratch: weight below the k-th item in x order. */
  cumX: Float64Array;
  counts: Uint32Array;
  rows: number;
};

function spearmanOnce(plan: SpearmanPlan, b: number): number {
  const { n, yRow, yPosOfX, yTies, xTies, w, ry, cumX, counts } = plan;
  const off = b * plan.rows;
  let cum = 0;
  for (let k = 0; k < n; k++) {
    const c = counts[off + (yRow[k] as number)] as number;
    w[k] = c;
    ry[k] = cum + (c + 1) / 2;
    cum += c;
  }
  const total = cum;
  if (total < 3) return Number.NaN;
  for (let t = 0; t < yTies.length; t += 2) {
    const s = yTies[t] as number;
    const e = yTies[t + 1] as number;
    const before = (ry[s] as number) - ((w[s] as number) + 1) / 2;
    let W = 0;
    for (let k = s; k < e; k++) W += w[k] as number;
    const mid = before + (W + 1) / 2;
    for (let k = s; k < e; k++) ry[k] = mid;
  }
  cum = 0;
  let sx2 = 0;
  let sy2 = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    const p = yPosOfX[k] as number;
    const c = w[p] as number;
    const rx = cum + (c + 1) / 2;
    const r = ry[p] as number;
    cumX[k] = cum;
    cum += c;
    sx2 += c * rx * rx;
    sy2 += c * r * r;
    sxy += c * rx * r;
  }
  for (let t = 0; t < xTies.length; t += 2) {
    const s = xTies[t] as number;
    const e = xTies[t + 1] as number;
    const before = cumX[s] as number;
    let W = 0;
    for (let k = s; k < e; k++) W += w[yPosOfX[k] as number] as number;
    const mid = before + (W + 1) / 2;
    for (let k = s; k < e; k++) {
      const p = yPosOfX[k] as number;
      const c = w[p] as number;
      const wrong = (cumX[k] as number) + (c + 1) / 2;
      sx2 += c * (mid * mid - wrong * wrong);
      sxy += c * (mid - wrong) * (ry[p] as number);
    }
  }
  const m2 = (total * (total + 1) * (total + 1)) / 4;
  const sxx = sx2 - m2;
  const syy = sy2 - m2;
  // Exact sums of quarter-integers: a non-constant resample has a rank variance of at least 1/2.
  if (sxx < 0.25 || syy < 0.25) return Number.NaN;
  return clamp((sxy - m2) / Math.sqrt(sxx * syy));
}

function pearsonResampler(
  row: Int32Array,
  x: Float64Array,
  y: Float64Array,
  xr: Ranking,
  yr: Ranking,
  rs: Resamples,
): (b: number) => number {
  const n = x.length;
  let mxAll = 0;
  let myAll = 0;
  for (let i = 0; i < n; i++) {
    mxAll += x[i] as number;
    myAll += y[i] as number;
  }
  mxAll /= n;
  myAll /= n;
  // Centred on the full-sample means, for numerical stability of the one-pass sums.
  const xc = x.map((v) => v - mxAll);
  const yc = y.map((v) => v - myAll);
  const scale = (v: Float64Array) => v.reduce((m, a) => Math.max(m, a * a), 0);
  const xScale = scale(xc);
  const yScale = scale(yc);
  const { counts, rows } = rs;
  // Exact test, run only when a variance is tiny: do the drawn items span more than one tie group?
  const varies = (off: number, group: Int32Array): boolean => {
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (counts[off + (row[i] as number)] === 0) continue;
      if (first < 0) first = group[i] as number;
      else if (group[i] !== first) return true;
    }
    return false;
  };
  return (b) => {
    const off = b * rows;
    let total = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const c = counts[off + (row[i] as number)] as number;
      const a = xc[i] as number;
      const v = yc[i] as number;
      total += c;
      sx += c * a;
      sy += c * v;
      sxx += c * a * a;
      syy += c * v * v;
      sxy += c * a * v;
    }
    if (total < 3) return Number.NaN;
    const vx = sxx - (sx * sx) / total;
    const vy = syy - (sy * sy) / total;
    if (vx <= 1e-6 * total * xScale && !varies(off, xr.group)) return Number.NaN;
    if (vy <= 1e-6 * total * yScale && !varies(off, yr.group)) return Number.NaN;
    return clamp((sxy - (sx * sy) / total) / Math.sqrt(vx * vy));
  };
}

function kendallResampler(row: Int32Array, xr: Ranking, yr: Ranking, rs: Resamples): (b: number) => number {
  const w = new Float64Array(xr.n);
  const scratch = kendallScratch(yr.nGroups);
  const { counts, rows } = rs;
  return (b) => {
    const off = b * rows;
    let total = 0;
    for (let i = 0; i < w.length; i++) {
      const c = counts[off + (row[i] as number)] as number;
      w[i] = c;
      total += c;
    }
    if (total < 3) return Number.NaN;
    return tauB(kendallCounts(xr, yr, w, scratch)) ?? Number.NaN;
  };
}

function clamp(r: number): number {
  return Math.min(1, Math.max(-1, r));
}
