/**
 * Brain-Score aggregation over the benchmark tree (brain-score/brain-score.web benchmarks/sql/mv.sql,
 * populate_final_agg_scores / fix_parent_scores):
 * - a leaf's value is its ceiled score clipped to [0, 1]; engineering leaves (domain `engineering`, or
 *   anything under an engineering node such as `engineering_vision`) use the raw score, as the website
 *   (`WHEN root_parent ILIKE '%engineering%' THEN score_raw`); a robustness or engineering leaf without a
 *   ceiled score falls back to raw (robust accuracy is its own score), an engineering leaf without raw to
 *   the clipped ceiled score;
 * - a parent is the equal-weight mean of its direct children, applied recursively, so `average_vision` =
 *   mean(neural_vision, behavior_vision) and engineering stays out of it (it is a separate root);
 * - `missing: 'zero'` counts a child without a value as 0 (Brain-Score: SUM(COALESCE(child, 0)) /
 *   COUNT(children)); `missing: 'skip'` averages the children that have one; a parent whose children all
 *   lack a value has none (null) under both.
 */
import type {
  AggregateOptions,
  AggregateResult,
  BenchmarkTreeNode,
  LeafScore,
  ModelScores,
  NodeStatus,
  NodeValue,
} from './types.ts';

export function aggregate(
  tree: BenchmarkTreeNode[],
  scores: ModelScores[],
  opts: AggregateOptions,
): AggregateResult[] {
  if (opts.missing !== 'zero' && opts.missing !== 'skip') {
    throw new Error(`aggregate: missing must be 'zero' or 'skip', got ${String(opts.missing)}`);
  }
  const { postOrder, children, engineering } = analyseTree(tree);
  return scores.map((m) => {
    const values: Record<string, NodeValue> = {};
    for (const node of postOrder) {
      const kids = children.get(node.identifier) as string[];
      values[node.identifier] =
        kids.length === 0
          ? leafValue(node, m.scores[node.identifier], engineering.has(node.identifier))
          : parentValue(
              kids.map((k) => values[k] as NodeValue),
              opts.missing,
            );
    }
    return { model: m.model, values };
  });
}

/** Validates the tree (unique identifiers, known parents, no cycles) and orders it children-first. */
function analyseTree(tree: BenchmarkTreeNode[]) {
  const byId = new Map<string, BenchmarkTreeNode>();
  const children = new Map<string, string[]>();
  for (const node of tree) {
    if (byId.has(node.identifier)) throw new Error(`aggregate: duplicate tree node "${node.identifier}"`);
    byId.set(node.identifier, node);
    children.set(node.identifier, []);
  }
  for (const node of tree) {
    if (node.parent === null) continue;
    const siblings = children.get(node.parent);
    if (!siblings)
      throw new Error(`aggregate: node "${node.identifier}" has unknown parent "${node.parent}"`);
    siblings.push(node.identifier);
  }
  const postOrder: BenchmarkTreeNode[] = [];
  const engineering = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, underEngineering: boolean) => {
    const node = byId.get(id) as BenchmarkTreeNode;
    state.set(id, 'visiting');
    const eng = underEngineering || node.domain === 'engineering' || id === 'engineering_vision';
    if (eng) engineering.add(id);
    for (const child of children.get(id) as string[]) visit(child, eng);
    state.set(id, 'done');
    postOrder.push(node);
  };
  for (const node of tree) if (node.parent === null) visit(node.identifier, false);
  if (postOrder.length !== tree.length) {
    const cyclic = tree.filter((n) => !state.has(n.identifier)).map((n) => n.identifier);
    throw new Error(`aggregate: the tree has a cycle through ${cyclic.join(', ')}`);
  }
  return { postOrder, children, engineering };
}

function usable(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clip01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function leafValue(node: BenchmarkTreeNode, score: LeafScore | undefined, engineering: boolean): NodeValue {
  const none = (status: NodeStatus): NodeValue => ({ value: null, status, nScored: 0, nChildren: 0 });
  if (!score) return none('missing');
  if (score.status !== 'scored') return none(score.status);
  let value: number | null = null;
  if (engineering) value = usable(score.raw) ? score.raw : usable(score.ceiled) ? clip01(score.ceiled) : null;
  else if (usable(score.ceiled)) value = clip01(score.ceiled);
  else if (node.domain === 'robustness' && usable(score.raw)) value = score.raw;
  if (value === null) return none('missing');
  return { value, status: 'scored', nScored: 1, nChildren: 0 };
}

function parentValue(kids: NodeValue[], missing: 'zero' | 'skip'): NodeValue {
  let sum = 0;
  let nScored = 0;
  let complete = true;
  let failed = false;
  let notRun = false;
  for (const k of kids) {
    if (k.value !== null) {
      sum += k.value;
      nScored++;
      if (k.status === 'partial') complete = false;
    } else complete = false;
    if (k.status === 'failed') failed = true;
    if (k.status === 'not-run') notRun = true;
  }
  const nChildren = kids.length;
  if (nScored === 0) {
    return { value: null, status: failed ? 'failed' : notRun ? 'not-run' : 'missing', nScored, nChildren };
  }
  const value = missing === 'zero' ? sum / nChildren : sum / nScored;
  return { value, status: complete ? 'scored' : 'partial', nScored, nChildren };
}
