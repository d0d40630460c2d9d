/**
 * Uncertainty intervals on the leaderboard (pure): the intervals of the current leaf scores by cell,
 * and which ranks a model's interval does not separate it from.
 */

/** Uncertainty intervals of current leaf scores, by model id, then benchmark id. */
export type Intervals = Map<number, Map<number, [number, number]>>;

export function intervalsByCell(
  rows: readonly { modelId: number; benchmarkId: number; ciLow: number | null; ciHigh: number | null }[],
): Intervals {
  const out: Intervals = new Map();
  for (const r of rows) {
    if (r.ciLow === null || r.ciHigh === null) continue;
    const m = out.get(r.modelId) ?? new Map<number, [number, number]>();
    m.set(r.benchmarkId, [r.ciLow, r.ciHigh]);
    out.set(r.modelId, m);
  }
  return out;
}

/**
 * For each ranked model with an interval, the first and last rank of the models whose intervals overlap
 * its own (itself included), when that is more than its own rank. Two closed intervals overlap when
 * each starts before the other ends. O(n²) over the ranked models with intervals (1,000: a million
 * comparisons).
 */
export function overlappingRanks(
  entries: readonly { key: string; rank: number; interval: [number, number] }[],
): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const a of entries) {
    let first = a.rank;
    let last = a.rank;
    for (const b of entries) {
      if (b.interval[0] > a.interval[1] || a.interval[0] > b.interval[1]) continue;
      first = Math.min(first, b.rank);
      last = Math.max(last, b.rank);
    }
    if (first !== last) out.set(a.key, [first, last]);
  }
  return out;
}
