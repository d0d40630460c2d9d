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
  // Each method loops over the resamples itself, so that the hot call stays monomorphic.
  const make =
    statistic === 'spearman'
      ? spearmanResampler
      : statistic === 'pearson'
        ? pearsonResampler
        : kendallResampler;
  const stats = new Float64Array(resamples.resamples);
  const used = make(row, x, y, xr, yr, resamples)(stats);
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

/** Fills `stats` with the defined coefficients of every resample; returns how many there are. */
type Resampler = (
  row: Int32Array,
  x: Float64Array,
  y: Float64Array,
  xr: Ranking,
  yr: Ranking,
  rs: Resamples,
) => (stats: Float64Array) => number;

/**
 * Spearman on resample b in two branch-free passes over typed arrays; ties cost nothing extra.
 * Pass A walks the items in y order, accumulating each y tie group's weight W (an item drawn c times is c
 * tied copies); the group's midrank is (weight below) + (W + 1) / 2, rewritten at each member so that the
 * last write, at the group's end, is the right one. Pass B walks the items in x order, summing c * ry within
 * each x group and adding (x midrank) * that sum at the group's end. "At the group's end" is a 0/1 factor,
 * not a branch. The rank variances need no pass of their own: for midranks of N observations in tie groups
 * of sizes W, Σ (rank - mean)² = (N³ - Σ W³) / 12. Ranks are multiples of 1/2, so below ~2·10^5 models all
 * of this is exact in doubles and a constant resample (one group holds every draw) is detected exactly.
 */
const spearmanResampler: Resampler = (row, _x, _y, xr, yr, rs) => {
  const n = xr.n;
  const groupEnd = (r: Ranking) => {
    const f = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const next = r.order[k + 1];
      f[k] = next === undefined || r.group[next] !== r.group[r.order[k] as number] ? 1 : 0;
    }
    return f;
  };
  const yRow = new Int32Array(n);
  const yGroup = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const item = yr.order[k] as number;
    yRow[k] = row[item] as number;
    yGroup[k] = yr.group[item] as number;
  }
  const xRow = new Int32Array(n);
  const yGroupOfX = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const item = xr.order[k] as number;
    xRow[k] = row[item] as number;
    yGroupOfX[k] = yr.group[item] as number;
  }
  const plan: SpearmanPlan = {
    n,
    yRow,
    yGroup,
    yEnd: groupEnd(yr),
    xRow,
    yGroupOfX,
    xEnd: groupEnd(xr),
    ryGroup: new Float64Array(yr.nGroups),
    counts: rs.counts,
    rows: rs.rows,
  };
  return (stats) => {
    let used = 0;
    for (let b = 0; b < rs.resamples; b++) {
      const s = spearmanOnce(plan, b);
      if (!Number.isNaN(s)) stats[used++] = s;
    }
    return used;
  };
};

type SpearmanPlan = {
  n: number;
  /** Per position in y order: table row, y group, 1 at the last member of its group. */
  yRow: Int32Array;
  yGroup: Int32Array;
  yEnd: Float64Array;
  /** Per position in x order: table row, y group, 1 at the last member of its x group. */
  xRow: Int32Array;
  yGroupOfX: Int32Array;
  xEnd: Float64Array;
  /** Scratch: the midrank of each y group. */
  ryGroup: Float64Array;
  counts: Uint32Array;
  rows: number;
};

function spearmanOnce(plan: SpearmanPlan, b: number): number {
  const { n, yRow, yGroup, yEnd, xRow, yGroupOfX, xEnd, ryGroup, counts } = plan;
  const off = b * plan.rows;
  let below = 0;
  let W = 0;
  let cubesY = 0;
  for (let k = 0; k < n; k++) {
    const c = counts[off + (yRow[k] as number)] as number;
    W += c;
    ryGroup[yGroup[k] as number] = below + (W + 1) / 2;
    const f = yEnd[k] as number;
    cubesY += f * W * W * W;
    below += f * W;
    W -= f * W;
  }
  const total = below;
  if (total < 3) return Number.NaN;
  below = 0;
  let acc = 0;
  let sxy = 0;
  let cubesX = 0;
  for (let k = 0; k < n; k++) {
    const c = counts[off + (xRow[k] as number)] as number;
    W += c;
    acc += c * (ryGroup[yGroupOfX[k] as number] as number);
    const f = xEnd[k] as number;
    sxy += f * (below + (W + 1) / 2) * acc;
    cubesX += f * W * W * W;
    below += f * W;
    W -= f * W;
    acc -= f * acc;
  }
  const t3 = total * total * total;
  const sxx = (t3 - cubesX) / 12;
  const syy = (t3 - cubesY) / 12;
  if (sxx === 0 || syy === 0) return Number.NaN;
  const mean = (total + 1) / 2;
  return clamp((sxy - total * mean * mean) / Math.sqrt(sxx * syy));
}

const pearsonResampler: Resampler = (row, x, y, xr, yr, rs) => {
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
  const once = (b: number): number => {
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
  return (stats) => {
    let used = 0;
    for (let b = 0; b < rs.resamples; b++) {
      const s = once(b);
      if (!Number.isNaN(s)) stats[used++] = s;
    }
    return used;
  };
};

const kendallResampler: Resampler = (row, _x, _y, xr, yr, rs) => {
  const w = new Float64Array(xr.n);
  const scratch = kendallScratch(yr.nGroups);
  const { counts, rows } = rs;
  return (stats) => {
    let used = 0;
    for (let b = 0; b < rs.resamples; b++) {
      const off = b * rows;
      let total = 0;
      for (let i = 0; i < w.length; i++) {
        const c = counts[off + (row[i] as number)] as number;
        w[i] = c;
        total += c;
      }
      if (total < 3) continue;
      const tau = tauB(kendallCounts(xr, yr, w, scratch));
      if (tau !== null) stats[used++] = tau;
    }
    return used;
  };
};

function clamp(r: number): number {
  return Math.min(1, Math.max(-1, r));
}
