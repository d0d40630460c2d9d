/**
 * Kendall's tau-b, with ties, in O(n log n) (Knight 1966: count discordant pairs with a Fenwick tree over
 * the y ranks while sweeping the x groups). tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2)).
 *
 * p-value, as scipy.stats.kendalltau(method='auto'):
 * - exact when neither variable has ties and (n <= 33 or min(D, n0 - D) <= 1): the null distribution of
 *   the number of discordant pairs is that of inversions of a random permutation (Mahonian numbers,
 *   Kendall 1970, "Rank Correlation Methods"); p = min(1, 2 P(D <= min(D, n0 - D)));
 * - otherwise the normal approximation of C - D with the tie-corrected variance (Kendall 1970, eq. 4.3;
 *   the formula in scipy's source):
 *   var = (n(n-1)(2n+5) - Σx t(t-1)(2t+5) - Σy u(u-1)(2u+5)) / 18
 *       + Σx t(t-1)(t-2) Σy u(u-1)(u-2) / (9 n(n-1)(n-2)) + 2 n1 n2 / (n(n-1)).
 */
import { normalTwoSidedP } from './distributions.ts';
import { completeCases, type Ranking, ranking } from './internal/paired.ts';
import { undefinedReason } from './spearman.ts';
import type { KendallResult, NumericInput } from './types.ts';

export type KendallCounts = {
  /** Total weight (number of observations, counting bootstrap copies). */
  n: number;
  /** n(n-1)/2 pairs. */
  tot: number;
  /** Pairs tied on x, on y, on both. */
  xtie: number;
  ytie: number;
  ntie: number;
  /** Discordant pairs (untied on both variables, ordered oppositely). */
  dis: number;
  /** Σ t(t-1)(t-2) and Σ t(t-1)(2t+5) over the tie groups of x and y (for the variance). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
};

/** Reusable work arrays for kendallCounts (the bootstrap calls it once per resample). */
export type KendallScratch = { tree: Float64Array; joint: Float64Array; yWeight: Float64Array };

export function kendallScratch(nGy: number): KendallScratch {
  return { tree: new Float64Array(nGy + 1), joint: new Float64Array(nGy), yWeight: new Float64Array(nGy) };
}

/**
 * Pair counts from two rankings of the same items; `weight` (optional) gives each item a multiplicity
 * (a bootstrap resample): copies of one item are tied with each other on both variables.
 */
export function kendallCounts(
  xr: Ranking,
  yr: Ranking,
  weight?: ArrayLike<number>,
  scratch?: KendallScratch,
): KendallCounts {
  const nGy = yr.nGroups;
  const { tree, joint, yWeight } = scratch ?? kendallScratch(nGy);
  tree.fill(0);
  joint.fill(0);
  yWeight.fill(0);
  let inserted = 0;
  let dis = 0;
  let xtie = 0;
  let ntie = 0;
  let x0 = 0;
  let x1 = 0;
  const { order, group: gx } = xr;
  const gy = yr.group;
  let start = 0;
  const n = order.length;
  while (start < n) {
    const g = gx[order[start] as number];
    let end = start + 1;
    while (end < n && gx[order[end] as number] === g) end++;
    // Query the whole x group before inserting it: items tied on x are never discordant.
    let wg = 0;
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      const w = weight ? (weight[i] as number) : 1;
      if (w === 0) continue;
      const yg = gy[i] as number;
      let prefix = 0;
      for (let j = yg + 1; j > 0; j -= j & -j) prefix += tree[j] as number;
      dis += w * (inserted - prefix);
      wg += w;
      joint[yg] = (joint[yg] as number) + w;
    }
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      const w = weight ? (weight[i] as number) : 1;
      if (w === 0) continue;
      const yg = gy[i] as number;
      for (let j = yg + 1; j <= nGy; j += j & -j) tree[j] = (tree[j] as number) + w;
      yWeight[yg] = (yWeight[yg] as number) + w;
      const jw = joint[yg] as number;
      if (jw > 0) {
        ntie += (jw * (jw - 1)) / 2;
        joint[yg] = 0;
      }
    }
    inserted += wg;
    xtie += (wg * (wg - 1)) / 2;
    x0 += wg * (wg - 1) * (wg - 2);
    x1 += wg * (wg - 1) * (2 * wg + 5);
    start = end;
  }
  let ytie = 0;
  let y0 = 0;
  let y1 = 0;
  for (let g = 0; g < nGy; g++) {
    const u = yWeight[g] as number;
    ytie += (u * (u - 1)) / 2;
    y0 += u * (u - 1) * (u - 2);
    y1 += u * (u - 1) * (2 * u + 5);
  }
  return { n: inserted, tot: (inserted * (inserted - 1)) / 2, xtie, ytie, ntie, dis, x0, x1, y0, y1 };
}

/** tau-b from the counts; null when either variable is constant. */
export function tauB(c: KendallCounts): number | null {
  if (c.xtie === c.tot || c.ytie === c.tot) return null;
  const conMinusDis = c.tot - c.xtie - c.ytie + c.ntie - 2 * c.dis;
  const tau = conMinusDis / Math.sqrt(c.tot - c.xtie) / Math.sqrt(c.tot - c.ytie);
  return Math.max(-1, Math.min(1, tau));
}

export function kendallTauB(
  x: NumericInput,
  y: NumericInput,
  opts: { method?: 'auto' | 'exact' | 'asymptotic' } = {},
): KendallResult {
  const [cx, cy] = completeCases([x, y], 'kendallTauB') as [Float64Array, Float64Array];
  return kendallComplete(cx, cy, opts.method ?? 'auto');
}

export function kendallComplete(
  x: Float64Array,
  y: Float64Array,
  method: 'auto' | 'exact' | 'asymptotic' = 'auto',
  xr: Ranking = ranking(x),
  yr: Ranking = ranking(y),
): KendallResult {
  const n = x.length;
  const invalid = undefinedReason(x, y);
  if (invalid) return { n, coefficient: null, pValue: null, reason: invalid, pMethod: null };
  const c = kendallCounts(xr, yr);
  const tau = tauB(c) as number;
  const noTies = c.xtie === 0 && c.ytie === 0;
  if (method === 'exact' && !noTies)
    throw new Error('kendallTauB: ties found, the exact method cannot be used');
  const useExact =
    method === 'exact' || (method === 'auto' && noTies && (n <= 33 || Math.min(c.dis, c.tot - c.dis) <= 1));
  if (useExact)
    return { n, coefficient: tau, pValue: kendallExactP(n, c.dis), reason: null, pMethod: 'exact' };
  const m = n * (n - 1);
  const variance =
    (m * (2 * n + 5) - c.x1 - c.y1) / 18 + (2 * c.xtie * c.ytie) / m + (c.x0 * c.y0) / (9 * m * (n - 2));
  const z = (c.tot - c.xtie - c.ytie + c.ntie - 2 * c.dis) / Math.sqrt(variance);
  return { n, coefficient: tau, pValue: normalTwoSidedP(z), reason: null, pMethod: 'asymptotic' };
}

/**
 * Two-sided exact p-value for `dis` discordant pairs among n untied observations: 2 P(D <= k), k = min(dis,
 * n0 - dis), capped at 1. P(D <= k) from the distribution of inversions of a uniformly random permutation,
 * built one element at a time (adding the j-th element adds 0..j-1 inversions with equal probability).
 */
export function kendallExactP(n: number, dis: number): number {
  const tot = (n * (n - 1)) / 2;
  const k = Math.min(dis, tot - dis);
  if (n < 2) return 1;
  // prob[i] = P(inversions = i) for the permutations built so far, truncated at k.
  let prob = new Float64Array(k + 1);
  prob[0] = 1;
  const cum = new Float64Array(k + 2);
  for (let j = 2; j <= n; j++) {
    cum[0] = 0;
    for (let i = 0; i <= k; i++) cum[i + 1] = (cum[i] as number) + (prob[i] as number);
    const next = new Float64Array(k + 1);
    for (let i = 0; i <= k; i++) {
      const lo = Math.max(0, i - (j - 1));
      next[i] = ((cum[i + 1] as number) - (cum[lo] as number)) / j;
    }
    prob = next;
  }
  let p = 0;
  for (let i = 0; i <= k; i++) p += prob[i] as number;
  return Math.min(1, 2 * p);
}
