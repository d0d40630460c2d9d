import 'server-only';
import { aggregate, type NodeValue } from '@alignscope/analysis';
import { type BoardModel, boardFingerprint, leaderboardData } from '@alignscope/db/queries';
import { getDb } from './db.ts';
import type { Missing } from './view-state.ts';

export type Domain = 'aggregate' | 'neural' | 'behavioral' | 'engineering' | 'robustness';

/** A node of the benchmark tree as the dashboard shows it. */
export type TreeNode = {
  id: number;
  identifier: string;
  parent: string | null;
  domain: Domain;
  label: string;
  displayName: string | null;
  metric: string | null;
  ceiling: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  description: string | null;
  reference: string | null;
  parameters: Record<string, unknown>;
  version: number;
  depth: number;
  children: string[];
  /** Leaf benchmarks under this node (1 for a leaf). */
  leafCount: number;
  /** The root of the node's tree. */
  root: string;
};

export type Board = {
  fingerprint: string;
  /** Nodes in tree order (depth-first, catalog order). */
  nodes: TreeNode[];
  node: Map<string, TreeNode>;
  roots: string[];
  models: BoardModel[];
  /** Aggregated values per model identifier and node, for each missing-value convention. */
  values(missing: Missing): Map<string, Record<string, NodeValue>>;
};

/** A short column label: display name, or the identifier without its redundant parts. */
function labelOf(identifier: string, displayName: string | null): string {
  return displayName ?? identifier;
}

function buildTree(rows: Awaited<ReturnType<typeof leaderboardData>>['benchmarks']) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<string | null, string[]>();
  for (const r of rows) {
    const parent = r.parentId === null ? null : (byId.get(r.parentId)?.identifier ?? null);
    const list = children.get(parent) ?? [];
    list.push(r.identifier);
    children.set(parent, list);
  }
  const byIdent = new Map(rows.map((r) => [r.identifier, r]));
  const nodes: TreeNode[] = [];
  const node = new Map<string, TreeNode>();
  const visit = (identifier: string, parent: string | null, depth: number, root: string): number => {
    const r = byIdent.get(identifier);
    if (!r) return 0;
    const kids = children.get(identifier) ?? [];
    const n: TreeNode = {
      id: r.id,
      identifier,
      parent,
      domain: r.domain,
      label: labelOf(identifier, r.displayName),
      displayName: r.displayName,
      metric: r.metric,
      ceiling: r.ceiling,
      rangeMin: r.rangeMin,
      rangeMax: r.rangeMax,
      description: r.description,
      reference: r.reference,
      parameters: (r.parameters ?? {}) as Record<string, unknown>,
      version: r.version,
      depth,
      children: kids,
      leafCount: 0,
      root,
    };
    nodes.push(n);
    node.set(identifier, n);
    n.leafCount = kids.length === 0 ? 1 : kids.reduce((s, k) => s + visit(k, identifier, depth + 1, root), 0);
    return n.leafCount;
  };
  const roots = children.get(null) ?? [];
  for (const r of roots) visit(r, null, 0, r);
  return { nodes, node, roots };
}

async function loadBoard(fingerprint: string): Promise<Board> {
  const { db } = await getDb();
  const data = await leaderboardData(db);
  const { nodes, node, roots } = buildTree(data.benchmarks);
  const benchIdent = new Map(data.benchmarks.map((b) => [b.id, b.identifier]));
  const modelIdent = new Map(data.models.map((m) => [m.id, m.identifier]));
  const perModel = new Map<
    string,
    Record<string, { status: 'scored' | 'failed' | 'not-run'; raw: number | null; ceiled: number | null }>
  >();
  for (const m of data.models) perModel.set(m.identifier, {});
  for (const s of data.scores) {
    const m = modelIdent.get(s.modelId);
    const b = benchIdent.get(s.benchmarkId);
    if (m === undefined || b === undefined) continue;
    const rec = perModel.get(m);
    if (rec) rec[b] = { status: s.status, raw: s.rawValue, ceiled: s.ceiledValue };
  }
  const tree = nodes.map((n) => ({ identifier: n.identifier, parent: n.parent, domain: n.domain }));
  const scores = [...perModel].map(([model, sc]) => ({ model, scores: sc }));
  const cache = new Map<Missing, Map<string, Record<string, NodeValue>>>();
  return {
    fingerprint,
    nodes,
    node,
    roots,
    models: data.models,
    values(missing) {
      let v = cache.get(missing);
      if (!v) {
        v = new Map(aggregate(tree, scores, { missing }).map((r) => [r.model, r.values]));
        cache.set(missing, v);
      }
      return v;
    },
  };
}

type Cache = { fingerprint: string; board: Promise<Board> };
// On globalThis: the instrumentation hook (which warms the cache at start-up) and the pages are
// separate bundles with separate module instances.
const CACHE = Symbol.for('alignscope.web.board');
const store = globalThis as typeof globalThis & { [CACHE]?: Cache };

/**
 * The board: every public model's aggregated scores over the benchmark tree. Rebuilt only when the
 * database's board fingerprint changes, so a page view costs one cheap query once warm.
 */
export async function getBoard(): Promise<Board> {
  const { db } = await getDb();
  const fingerprint = await boardFingerprint(db);
  const cached = store[CACHE];
  if (cached?.fingerprint === fingerprint) return cached.board;
  const board = loadBoard(fingerprint);
  store[CACHE] = { fingerprint, board };
  board.catch(() => {
    if (store[CACHE]?.board === board) store[CACHE] = undefined;
  });
  return board;
}

/** Median of the finite numbers (null when none). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Values of one node over all models (models without a value left out). */
export function columnValues(board: Board, missing: Missing, identifier: string): number[] {
  const out: number[] = [];
  for (const rec of board.values(missing).values()) {
    const v = rec[identifier]?.value;
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return out;
}
