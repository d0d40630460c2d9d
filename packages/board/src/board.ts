/**
 * The board: one snapshot of the catalog tree, the public models and their score matrix at one data
 * version, and everything derived from it — aggregates, ranks, leaderboard rows, correlation tables
 * and scatter pairs — computed by @alignscope/analysis on first use and memoised on the snapshot, so
 * each is computed once per data version however many requests (API or web pages) ask.
 *
 * `buildBoard` is pure: it takes the data (`boardData`) and the version it was read at. Where that data
 * comes from (the current tables, or the board as of a past time) is the source's business
 * (source.ts), so a data version or an as-of time is a parameter of building a board, not of this file.
 */
import {
  aggregate,
  type BenchmarkTreeNode,
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
  type ModelScores,
  type NodeStatus,
  type NodeValue,
  rankWithTies,
} from '@alignscope/analysis';
import type { Benchmark, BoardData, Model } from '@alignscope/db/queries';
import { type PredictorRelation, predictorRelations } from './predictors.ts';

export type Missing = 'zero' | 'skip';
export type Domain = Benchmark['domain'];

/** A node of the benchmark tree with its place in the tree. */
export type TreeNode = Benchmark & {
  parent: string | null;
  /** The display name, or the identifier when there is none. */
  label: string;
  parameters: Record<string, unknown>;
  depth: number;
  /** Identifiers of the direct children, in catalog order. */
  children: string[];
  /** Leaf benchmarks under this node (1 for a leaf). */
  leafCount: number;
  /** The root of the node's tree. */
  root: string;
};

export type LeaderboardCell = { benchmark: Benchmark; value: number | null; status: NodeStatus };

export type LeaderboardRow = {
  rank: number | null;
  modelId: number;
  model: Model;
  score: number | null;
  status: NodeStatus;
  children: LeaderboardCell[];
};

export type CorrelationArgs = {
  target: string;
  method: CorrelationMethod;
  covariate: string | null;
  minN: number;
  missing: Missing;
  /** Bootstrap resamples of the interval (seed 0, 95 %); 0 for none. */
  bootstrap: number;
  /**
   * Also return the target's related nodes (its ancestors, which contain it, and its sibling
   * robustness benchmarks), marked by `relation`. They are never part of the Benjamini-Hochberg
   * family: their q-value is null.
   */
  includeRelated: boolean;
};

export type BoardCorrelationRow = CorrelationRow & { relation: PredictorRelation | null };

export type ScatterPair = { modelId: number; model: Model; x: number; y: number };

export type Board = {
  /** The data version the snapshot was read at. */
  version: string;
  /** Every benchmark node, in catalog order. */
  benchmarks: Benchmark[];
  byId: Map<number, Benchmark>;
  byIdentifier: Map<string, Benchmark>;
  /** Direct children by parent id, in catalog order. */
  children: Map<number, Benchmark[]>;
  /** The tree, depth-first in catalog order. */
  nodes: TreeNode[];
  node: Map<string, TreeNode>;
  roots: string[];
  /** Public models, by identifier. */
  models: Model[];
  modelById: Map<number, Model>;
  /** The leaf scores per model (the input of `aggregate`). */
  scores: ModelScores[];
  /** Memo of values derived from this snapshot, by key. */
  memo<T>(key: string, compute: () => T): T;
  /** Every node's value per model identifier (Brain-Score aggregation with `missing`). */
  values(missing: Missing): Map<string, Record<string, NodeValue>>;
  /** One node's values in model order (null where a model has none). */
  column(identifier: string, missing: Missing): (number | null)[];
  /** Rank of each model (by identifier) on one node: highest value 1, ties share, no value null. */
  ranks(identifier: string, missing: Missing): Map<string, number | null>;
  /** Every public model ranked by `root`: rank ascending, unranked last, ties by identifier. */
  leaderboard(root: string, missing: Missing): LeaderboardRow[];
  /** Robustness leaves: the targets of the correlation explorer. */
  robustnessTargets(): TreeNode[];
  /** The robustness benchmark with the most models with a value (ties: tree order). */
  defaultTarget(): string | undefined;
  /** How each node relates to `target` (ancestor or sibling robustness benchmark); unrelated absent. */
  related(target: string): Map<string, PredictorRelation>;
  /** Every node with some value against `target`, as `correlate` computes them (memoised, LRU). */
  correlations(args: CorrelationArgs): BoardCorrelationRow[];
  /** Models with values on both nodes. */
  pairs(x: string, y: string, missing: Missing): ScatterPair[];
};

/** Correlation tables kept per board (least recently used dropped first). */
export const MAX_CORRELATION_TABLES = 64;

function buildTree(benchmarks: Benchmark[]) {
  const byId = new Map(benchmarks.map((b) => [b.id, b]));
  const byIdentifier = new Map(benchmarks.map((b) => [b.identifier, b]));
  const children = new Map<number, Benchmark[]>();
  const kids = new Map<string | null, string[]>();
  for (const b of benchmarks) {
    const parent = b.parentId === null ? undefined : byId.get(b.parentId);
    if (parent) {
      const list = children.get(parent.id) ?? [];
      list.push(b);
      children.set(parent.id, list);
    }
    const key = parent?.identifier ?? null;
    const names = kids.get(key) ?? [];
    names.push(b.identifier);
    kids.set(key, names);
  }
  const nodes: TreeNode[] = [];
  const node = new Map<string, TreeNode>();
  const visit = (identifier: string, parent: string | null, depth: number, root: string): number => {
    const b = byIdentifier.get(identifier) as Benchmark;
    const childIds = kids.get(identifier) ?? [];
    const n: TreeNode = {
      ...b,
      parent,
      label: b.displayName ?? identifier,
      parameters: (b.parameters ?? {}) as Record<string, unknown>,
      depth,
      children: childIds,
      leafCount: 0,
      root,
    };
    nodes.push(n);
    node.set(identifier, n);
    n.leafCount =
      childIds.length === 0 ? 1 : childIds.reduce((s, k) => s + visit(k, identifier, depth + 1, root), 0);
    return n.leafCount;
  };
  const roots = kids.get(null) ?? [];
  for (const r of roots) visit(r, null, 0, r);
  return { byId, byIdentifier, children, nodes, node, roots };
}

const byIdentifierThenRank = (
  a: { rank: number | null; model: Model },
  b: { rank: number | null; model: Model },
) => {
  if (a.rank !== b.rank) {
    if (a.rank === null) return 1;
    if (b.rank === null) return -1;
    return a.rank - b.rank;
  }
  return a.model.identifier < b.model.identifier ? -1 : a.model.identifier > b.model.identifier ? 1 : 0;
};

/** The board of `data`, read at data version `version`. */
export function buildBoard(data: BoardData, version: string): Board {
  const tree = buildTree(data.benchmarks);
  const modelById = new Map(data.models.map((m) => [m.id, m]));
  const scoresByModel = new Map<number, ModelScores>();
  const scores: ModelScores[] = data.models.map((m) => {
    const s: ModelScores = { model: m.identifier, scores: {} };
    scoresByModel.set(m.id, s);
    return s;
  });
  for (const c of data.scores) {
    const target = scoresByModel.get(c.modelId);
    const b = tree.byId.get(c.benchmarkId);
    if (target && b)
      target.scores[b.identifier] = { status: c.status, raw: c.rawValue, ceiled: c.ceiledValue };
  }
  const analysisTree: BenchmarkTreeNode[] = tree.nodes.map((n) => ({
    identifier: n.identifier,
    parent: n.parent,
    domain: n.domain,
  }));
  const memo = new Map<string, unknown>();
  const tables = new Map<string, BoardCorrelationRow[]>();

  const board: Board = {
    version,
    benchmarks: data.benchmarks,
    ...tree,
    models: data.models,
    modelById,
    scores,
    memo<T>(key: string, compute: () => T): T {
      if (memo.has(key)) return memo.get(key) as T;
      const value = compute();
      memo.set(key, value);
      return value;
    },
    values(missing) {
      return board.memo(
        `values:${missing}`,
        () => new Map(aggregate(analysisTree, scores, { missing }).map((r) => [r.model, r.values])),
      );
    },
    column(identifier, missing) {
      return board.memo(`column:${missing}:${identifier}`, () => {
        const values = board.values(missing);
        return data.models.map((m) => {
          const v = values.get(m.identifier)?.[identifier]?.value;
          return v === undefined || v === null || !Number.isFinite(v) ? null : v;
        });
      });
    },
    ranks(identifier, missing) {
      return board.memo(`ranks:${missing}:${identifier}`, () => {
        const r = rankWithTies(board.column(identifier, missing), { descending: true });
        return new Map(data.models.map((m, i) => [m.identifier, r[i] ?? null]));
      });
    },
    leaderboard(rootIdentifier, missing) {
      return board.memo(`leaderboard:${missing}:${rootIdentifier}`, () => {
        const root = tree.byIdentifier.get(rootIdentifier);
        if (!root) return [];
        const values = board.values(missing);
        const ranks = board.ranks(rootIdentifier, missing);
        const columns = tree.children.get(root.id) ?? [];
        const rows = data.models.map((model): LeaderboardRow => {
          const v = values.get(model.identifier);
          const score = v?.[rootIdentifier]?.value;
          return {
            rank: ranks.get(model.identifier) ?? null,
            modelId: model.id,
            model,
            score: score === undefined || score === null || !Number.isFinite(score) ? null : score,
            status: v?.[rootIdentifier]?.status ?? 'missing',
            children: columns.map((benchmark) => ({
              benchmark,
              value: v?.[benchmark.identifier]?.value ?? null,
              status: v?.[benchmark.identifier]?.status ?? 'missing',
            })),
          };
        });
        return rows.sort(byIdentifierThenRank);
      });
    },
    robustnessTargets() {
      return board.memo('targets', () =>
        tree.nodes.filter((n) => n.domain === 'robustness' && n.children.length === 0),
      );
    },
    defaultTarget() {
      return board.memo('defaultTarget', () => {
        let best: { id: string; n: number } | undefined;
        for (const t of board.robustnessTargets()) {
          const n = board.column(t.identifier, 'skip').filter((v) => v !== null).length;
          if (!best || n > best.n) best = { id: t.identifier, n };
        }
        return best?.id;
      });
    },
    related(target) {
      return board.memo(`related:${target}`, () => predictorRelations(tree.node, target));
    },
    correlations(args) {
      const key = JSON.stringify([
        args.target,
        args.method,
        args.covariate,
        args.minN,
        args.missing,
        args.bootstrap,
        args.includeRelated,
      ]);
      const hit = tables.get(key);
      if (hit) {
        tables.delete(key); // most recently used last
        tables.set(key, hit);
        return hit;
      }
      const rows = computeCorrelations(board, args);
      tables.set(key, rows);
      if (tables.size > MAX_CORRELATION_TABLES) {
        const oldest = tables.keys().next().value;
        if (oldest !== undefined) tables.delete(oldest);
      }
      return rows;
    },
    pairs(x, y, missing) {
      const xs = board.column(x, missing);
      const ys = board.column(y, missing);
      return data.models.flatMap((model, i) => {
        const a = xs[i];
        const b = ys[i];
        return typeof a === 'number' && typeof b === 'number'
          ? [{ modelId: model.id, model, x: a, y: b }]
          : [];
      });
    },
  };
  return board;
}

/**
 * The correlation table: analysis.correlate of the target against every node that some public model
 * has a value for (leaves and aggregates), bootstrap seeded with 0. The target's related nodes
 * (ancestors and sibling robustness benchmarks) are left out of the predictors: an aggregate that
 * contains the target, or another attack on the same models, is not evidence that alignment predicts
 * robustness. With `includeRelated` they follow, marked, from a second `correlate` call over them alone
 * (the bootstrap resamples depend only on the model count and seed, so their intervals are what one
 * call would give), with no q-value: they are not candidate predictors.
 */
function computeCorrelations(board: Board, a: CorrelationArgs): BoardCorrelationRow[] {
  const related = board.related(a.target);
  const predictors: Record<string, (number | null)[]> = {};
  const others: Record<string, (number | null)[]> = {};
  for (const n of board.nodes) {
    const id = n.identifier;
    const values = board.column(id, a.missing);
    const keep = id === a.target || id === a.covariate;
    if (!keep && !values.some((v) => v !== null)) continue;
    if (!keep && related.has(id)) others[id] = values;
    else predictors[id] = values;
  }
  const models = board.models.map((m) => m.identifier);
  const options = {
    target: a.target,
    method: a.method,
    ...(a.covariate ? { covariate: a.covariate } : {}),
    minN: a.minN,
    bootstrap: a.bootstrap > 0 ? { resamples: a.bootstrap, seed: 0 } : (false as const),
  };
  const rows: BoardCorrelationRow[] = correlate({ models, columns: predictors }, options).map((r) => ({
    ...r,
    relation: null,
  }));
  if (!a.includeRelated || Object.keys(others).length === 0) return rows;
  const own: Record<string, (number | null)[]> = { [a.target]: predictors[a.target] ?? [] };
  if (a.covariate) own[a.covariate] = predictors[a.covariate] ?? [];
  const marked = correlate({ models, columns: { ...own, ...others } }, options)
    .filter((r) => related.has(r.benchmark))
    .map((r) => ({
      ...r,
      qValue: null,
      significant: false,
      relation: related.get(r.benchmark) ?? null,
    }));
  return [...rows, ...marked];
}
