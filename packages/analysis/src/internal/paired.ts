/**
 * Shared internals: pairwise-complete extraction, rankings with ties, centered sums. The public statistics
 * and `correlate` all go through these, so the fast paths are the tested paths.
 */
import type { NumericInput } from '../types.ts';

/** True for a usable value: finite number. null and NaN mean "missing"; ±Infinity is rejected. */
function present(v: number | null | undefined, where: string, i: number): boolean {
  if (v === null || v === undefined || Number.isNaN(v)) return false;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${where}: value at index ${i} is not a finite number (${String(v)})`);
  }
  return true;
}

/** The rows where every column has a value (pairwise-complete for two columns), as Float64Arrays. */
export function completeCases(columns: NumericInput[], where = 'input'): Float64Array[] {
  const len = columns[0]?.length ?? 0;
  for (const c of columns) {
    if (c.length !== len)
      throw new Error(`${where}: columns have different lengths (${len} and ${c.length})`);
  }
  const keep = new Uint8Array(len);
  let n = 0;
  for (let i = 0; i < len; i++) {
    let ok = true;
    for (const c of columns) if (!present(c[i], where, i)) ok = false;
    if (ok) {
      keep[i] = 1;
      n++;
    }
  }
  return columns.map((c) => {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < len; i++) if (keep[i]) out[k++] = c[i] as number;
    return out;
  });
}

/** Items sorted ascending, with tie groups: the basis of midranks, Kendall counts and the bootstrap. */
export type Ranking = {
  n: number;
  /** Item indices in ascending value order. */
  order: Int32Array;
  /** Dense 0-based tie group of each item (equal values share a group; groups ascend with the value). */
  group: Int32Array;
  nGroups: number;
  /** Size of each group. */
  groupSize: Int32Array;
  /** Average (mid) rank of each item, 1-based: scipy.stats.rankdata(method='average'). */
  rank: Float64Array;
};

export function argsort(v: Float64Array): Int32Array {
  const order = new Int32Array(v.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (v[a] as number) - (v[b] as number));
  return order;
}

/** The ranking of `v` given an ascending `order` of its indices. */
export function rankingFromOrder(v: Float64Array, order: Int32Array): Ranking {
  const n = order.length;
  const group = new Int32Array(n);
  const rank = new Float64Array(n);
  const sizes: number[] = [];
  let start = 0;
  while (start < n) {
    const value = v[order[start] as number];
    let end = start + 1;
    while (end < n && v[order[end] as number] === value) end++;
    const g = sizes.length;
    const mid = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      group[i] = g;
      rank[i] = mid;
    }
    sizes.push(end - start);
    start = end;
  }
  return { n, order, group, nGroups: sizes.length, groupSize: Int32Array.from(sizes), rank };
}

export function ranking(v: Float64Array): Ranking {
  return rankingFromOrder(v, argsort(v));
}

/** Means and centred sums of squares and products of two equally long arrays (two passes). */
export function centredMoments(
  x: Float64Array,
  y: Float64Array,
): { mx: number; my: number; sxx: number; syy: number; sxy: number } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { mx, my, sxx, syy, sxy };
}

/** Pearson r of two equally long arrays (two-pass, centred); null when either is constant. */
export function pearsonR(x: Float64Array, y: Float64Array): number | null {
  if (x.length < 2 || isConstant(x) || isConstant(y)) return null;
  const { sxx, syy, sxy } = centredMoments(x, y);
  return clamp1(sxy / Math.sqrt(sxx * syy));
}

/** Exact test: all values equal (a floating-point variance could be tiny but non-zero). */
export function isConstant(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

export function clamp1(r: number): number {
  return Math.min(1, Math.max(-1, r));
}
