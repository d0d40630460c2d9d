/**
 * Recomputes Brain-Score aggregates from leaf scores, to compare with the aggregates a leaderboard
 * export carries. Uses @alignscope/analysis `aggregate` when it is implemented, otherwise the plain
 * Brain-Score rule (DESIGN.md, brain-score.web `mv.sql`): a parent is the mean of its direct children,
 * a missing child counting as 0; leaf ceiled scores clipped to [0, 1].
 */
import { aggregate } from '@alignscope/analysis';

export type TreeNode = { identifier: string; parent: string | null; domain: string };

export type Aggregator = '@alignscope/analysis' | 'local mean-of-children';

/** Value of every aggregate node of `tree` that has at least one scored descendant. */
export function localAggregate(tree: readonly TreeNode[], leaves: Map<string, number>): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const n of tree) {
    if (n.parent === null) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n.identifier);
    children.set(n.parent, list);
  }
  const memo = new Map<string, number | null>();
  const value = (id: string): number | null => {
    if (memo.has(id)) return memo.get(id) ?? null;
    const kids = children.get(id);
    let v: number | null;
    if (!kids || kids.length === 0) {
      const leaf = leaves.get(id);
      v = leaf === undefined || Number.isNaN(leaf) ? null : Math.min(1, Math.max(0, leaf));
    } else {
      const vals = kids.map(value);
      v = vals.every((x) => x === null) ? null : vals.reduce<number>((s, x) => s + (x ?? 0), 0) / kids.length;
    }
    memo.set(id, v);
    return v;
  };
  const out = new Map<string, number>();
  for (const n of tree) {
    if (!children.has(n.identifier)) continue;
    const v = value(n.identifier);
    if (v !== null) out.set(n.identifier, v);
  }
  return out;
}

let analysisWorks: boolean | undefined;

/** Aggregates of one model's leaves over `tree`, and which implementation computed them. */
export function recomputeAggregates(
  tree: readonly TreeNode[],
  leaves: Map<string, number>,
): { values: Map<string, number>; aggregator: Aggregator } {
  if (analysisWorks !== false) {
    try {
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
      analysisWorks = true;
      const values = new Map<string, number>();
      const parents = new Set(tree.map((n) => n.parent).filter((p): p is string => p !== null));
      for (const [k, nv] of Object.entries(res?.values ?? {})) {
        if (parents.has(k) && nv.value !== null) values.set(k, nv.value);
      }
      return { values, aggregator: '@alignscope/analysis' };
    } catch (e) {
      if (!(e instanceof Error && /not implemented/.test(e.message))) throw e;
      analysisWorks = false;
    }
  }
  return { values: localAggregate(tree, leaves), aggregator: 'local mean-of-children' };
}

/** Running comparison of a file's aggregates with recomputed ones. */
export class AggregateComparison {
  compared = 0;
  maxAbsDiff = 0;
  mismatches: { model: string; benchmark: string; file: number; recomputed: number; line: number }[] = [];
  mismatchCount = 0;
  notRecomputable = 0;
  aggregator: Aggregator | null = null;
  constructor(readonly tolerance = 5e-4) {}

  add(
    model: string,
    line: number,
    tree: readonly TreeNode[],
    leaves: Map<string, number>,
    fileAggregates: Map<string, number>,
  ): void {
    if (fileAggregates.size === 0) return;
    const { values, aggregator } = recomputeAggregates(tree, leaves);
    this.aggregator = aggregator;
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
      aggregator: this.aggregator,
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
