/**
 * Recomputes Brain-Score aggregates from leaf scores with @alignscope/analysis `aggregate` (the one
 * aggregation rule of the platform: a parent is the mean of its direct children, a missing child
 * counting as 0, leaf ceiled scores clipped to [0, 1]), to compare with the aggregates a
 * leaderboard export carries.
 */
import { aggregate } from '@alignscope/analysis';

export type TreeNode = { identifier: string; parent: string | null; domain: string };

/** The implementation that recomputes the aggregates, recorded in the import report. */
export const AGGREGATOR = '@alignscope/analysis';

/** Aggregates of one model's leaves over `tree` (every aggregate node with a value). */
export function recomputeAggregates(
  tree: readonly TreeNode[],
  leaves: Map<string, number>,
): Map<string, number> {
  const scores: Record<string, { status: 'scored'; raw: number; ceiled: number }> = {};
  for (const [k, v] of leaves) if (!Number.isNaN(v)) scores[k] = { status: 'scored', raw: v, ceiled: v };
  const [res] = aggregate(
    tree.map((n) => ({
      identifier: n.identifier,
      parent: n.parent,
      domain: n.domain as Parameters<typeof aggregate>[0][number]['domain'],
    })),
    [{ model: 'm', scores }],
    { missing: 'zero' },
  );
  const values = new Map<string, number>();
  const parents = new Set(tree.map((n) => n.parent).filter((p): p is string => p !== null));
  for (const [k, nv] of Object.entries(res?.values ?? {})) {
    if (parents.has(k) && nv.value !== null) values.set(k, nv.value);
  }
  return values;
}

/** Running comparison of a file's aggregates with recomputed ones. */
export class AggregateComparison {
  compared = 0;
  maxAbsDiff = 0;
  mismatches: { model: string; benchmark: string; file: number; recomputed: number; line: number }[] = [];
  mismatchCount = 0;
  notRecomputable = 0;
  constructor(readonly tolerance = 5e-4) {}

  add(
    model: string,
    line: number,
    tree: readonly TreeNode[],
    leaves: Map<string, number>,
    fileAggregates: Map<string, number>,
  ): void {
    if (fileAggregates.size === 0) return;
    const values = recomputeAggregates(tree, leaves);
    for (const [id, fileValue] of fileAggregates) {
      const r = values.get(id);
      if (r === undefined) {
        this.notRecomputable++;
        continue;
      }
      this.compared++;
      const d = Math.abs(r - fileValue);
      this.maxAbsDiff = Math.max(this.maxAbsDiff, d);
      if (d > this.tolerance) this.mismatchCount++;
      if (d > this.tolerance && this.mismatches.length < 100) {
        this.mismatches.push({ model, benchmark: id, file: fileValue, recomputed: r, line });
      }
    }
  }

  toJSON() {
    return {
      aggregator: AGGREGATOR,
      rule: 'mean of direct children, missing child = 0, leaves clipped to [0, 1], over the tree of the file columns',
      tolerance: this.tolerance,
      compared: this.compared,
      withinTolerance: this.compared - this.mismatchCount,
      outsideTolerance: this.mismatchCount,
      maxAbsDiff: this.maxAbsDiff,
      notRecomputable: this.notRecomputable,
      /** The first 100 values outside the tolerance. */
      mismatches: this.mismatches,
    };
  }
}
