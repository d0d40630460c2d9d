/**
 * Which benchmark nodes are not candidate predictors of a robustness target (issue 17, item 10):
 * - `ancestor`: a node that contains the target (its parent, grandparent... up to the root): the
 *   `robustness` aggregate averages the target itself, so it "predicts" the target by construction;
 * - `sibling`: another robustness benchmark under the target's parent (or a group of them, and what
 *   lies under it): another attack on the same models measures the same property, not alignment.
 * The correlation explorer and the API's `correlations` leave these out by default and show them,
 * marked with their relation, on request.
 */

export type PredictorRelation = 'ancestor' | 'sibling';

/** The part of a tree node this needs. */
export type RelationNode = {
  identifier: string;
  parent: string | null;
  domain: string;
  children: string[];
};

/** Whether a node is robustness: a robustness leaf, or a group whose leaves are all robustness. */
export function isRobustnessNode(nodes: ReadonlyMap<string, RelationNode>, n: RelationNode): boolean {
  if (n.children.length === 0) return n.domain === 'robustness';
  return n.children.every((c) => {
    const child = nodes.get(c);
    return child !== undefined && isRobustnessNode(nodes, child);
  });
}

/** The related nodes of `target` with their relation (empty for an unknown target). */
export function predictorRelations(
  nodes: ReadonlyMap<string, RelationNode>,
  target: string,
): Map<string, PredictorRelation> {
  const out = new Map<string, PredictorRelation>();
  const t = nodes.get(target);
  if (!t) return out;
  for (let p = t.parent; p !== null; p = nodes.get(p)?.parent ?? null) out.set(p, 'ancestor');
  const siblings = t.parent === null ? [] : (nodes.get(t.parent)?.children ?? []);
  const mark = (id: string) => {
    const n = nodes.get(id);
    if (!n) return;
    out.set(id, 'sibling');
    for (const c of n.children) mark(c);
  };
  for (const id of siblings) {
    const n = nodes.get(id);
    if (id !== target && n && isRobustnessNode(nodes, n)) mark(id);
  }
  return out;
}
