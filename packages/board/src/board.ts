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
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
  type ModelScores,
  type NodeStatus,
  type NodeValue,
  percentileBootstrap,
  rankWithTies,
} from '@alignscope/analysis';
import type { Benchmark, BoardData, Model } from '@alignscope/db/queries';
import { type PredictorRelation, predictorRelations } from './predictors.ts';
import {
  ABSENT,
  type BoardSnapshot,
  decodeModelScores,
  encodeSnapshot,
  type Missing,
  NODE_STATUSES,
} from './snapshot.ts';

export type { Missing };
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

/** One benchmark against several targets: the bootstrap interval of each pair (the benchmark page). */
export type PairIntervalArgs = {
  benchmark: string;
  targets: string[];
  method: CorrelationMethod;
  missing: Missing;
  /** Resamples of the 95 % percentile interval (seed 0). */
  resamples: number;
};

/** The interval of the pair (benchmark, target); null bounds where it is undefined. */
export type PairInterval = { target: string; low: number | null; high: number | null };

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
  /**
   * One node's value records in model order (undefined where the aggregation gave a model none): what
   * `values(missing).get(model)[identifier]` gives, without making every model's whole record.
   */
  cells(identifier: string, missing: Missing): (NodeValue | undefined)[];
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
  /**
   * The same table without holding up the caller's thread: from the board when already computed,
   * else from the board's worker (one computation per table however many ask), else in line.
   */
  correlationsAsync(args: CorrelationArgs): Promise<BoardCorrelationRow[]>;
  /** Whether the table of `args` is on the board already (correlations(args) returns at once). */
  hasCorrelations(args: CorrelationArgs): boolean;
  /** The tables on the board, by key (to hand them on with the snapshot). */
  correlationTables(): [string, BoardCorrelationRow[]][];
  /** Models with values on both nodes. */
  pairs(x: string, y: string, missing: Missing): ScatterPair[];
  /**
   * The percentile bootstrap interval of `benchmark` against each target (analysis'
   * percentileBootstrap, seed 0): the interval of that row in the target's table with the same
   * bootstrap, without resampling every other column. Memoised per pair.
   */
  pairIntervals(args: PairIntervalArgs): PairInterval[];
  /** The same off the caller's thread: from the board when computed, else from the board's worker. */
  pairIntervalsAsync(args: PairIntervalArgs): Promise<PairInterval[]>;
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

/** The board of `data`, read at data version `version` (aggregated here, on the calling thread). */
export function buildBoard(data: BoardData, version: string): Board {
  return boardFromSnapshot(encodeSnapshot(data, version));
}

/**
 * The explorer's default tables (Spearman, missing children skipped, min n 8, no covariate, no
 * bootstrap) for every robustness target with values, the default target first: the board's workers
 * compute them ahead on every new board.
 */
export function defaultTableArgs(board: Board): CorrelationArgs[] {
  const first = board.defaultTarget();
  const targets = board.robustnessTargets().map((t) => t.identifier);
  const ordered = first ? [first, ...targets.filter((t) => t !== first)] : targets;
  return ordered
    .filter((t) => board.column(t, 'skip').some((v) => v !== null))
    .map((target) => ({
      target,
      method: 'spearman',
      covariate: null,
      minN: 8,
      missing: 'skip',
      bootstrap: 0,
      includeRelated: false,
    }));
}

/** Where correlation tables not yet on the board are computed (a worker thread); absent: in line. */
export type CorrelationOffload = (version: string, args: CorrelationArgs) => Promise<BoardCorrelationRow[]>;

/** Where pair intervals not yet on the board are computed (a worker thread); absent: in line. */
export type PairIntervalOffload = (version: string, args: PairIntervalArgs) => Promise<PairInterval[]>;

/** The key of a correlation table on its board. */
export function correlationKey(args: CorrelationArgs): string {
  return JSON.stringify([
    args.target,
    args.method,
    args.covariate,
    args.minN,
    args.missing,
    args.bootstrap,
    args.includeRelated,
  ]);
}

/**
 * The board of a snapshot (snapshot.ts): every derived number read from its arrays. `tables`:
 * correlation tables already computed for it (by the worker that built it); `offload`: where
 * `correlationsAsync` computes the others; `offloadIntervals`: where `pairIntervalsAsync` does.
 */
export function boardFromSnapshot(
  snap: BoardSnapshot,
  opts: {
    tables?: [string, BoardCorrelationRow[]][];
    offload?: CorrelationOffload;
    offloadIntervals?: PairIntervalOffload;
  } = {},
): Board {
  const tree = buildTree(snap.benchmarks);
  const models = snap.models;
  const modelById = new Map(models.map((m) => [m.id, m]));
  const modelIndex = new Map(models.map((m, i) => [m.identifier, i]));
  const N = snap.nodeOrder.length;
  const nodeIndex = new Map(snap.nodeOrder.map((id, j) => [id, j]));
  const memo = new Map<string, unknown>();
  const tables = new Map<string, BoardCorrelationRow[]>(opts.tables ?? []);
  const pending = new Map<string, Promise<BoardCorrelationRow[]>>();
  /** Pair intervals by pair key, and the requests for those not in yet. */
  const intervals = new Map<string, PairInterval>();
  const pendingIntervals = new Map<string, Promise<PairInterval[]>>();
  const pairKey = (a: PairIntervalArgs, target: string) =>
    JSON.stringify([a.benchmark, target, a.method, a.missing, a.resamples]);
  const knownIntervals = (a: PairIntervalArgs): PairInterval[] | undefined => {
    const out: PairInterval[] = [];
    for (const t of a.targets) {
      const hit = intervals.get(pairKey(a, t));
      if (!hit) return undefined;
      out.push(hit);
    }
    return out;
  };
  const remember = (key: string, rows: BoardCorrelationRow[]) => {
    tables.delete(key);
    tables.set(key, rows);
    if (tables.size > MAX_CORRELATION_TABLES) {
      const oldest = tables.keys().next().value;
      if (oldest !== undefined) tables.delete(oldest);
    }
  };
  /** One cell's value under `missing` (undefined: the aggregation gave it none). */
  const cell = (i: number, j: number, missing: Missing): NodeValue | undefined => {
    const a = snap.values[missing];
    const k = i * N + j;
    const code = a.status[k] as number;
    if (code === ABSENT) return undefined;
    return {
      value: a.present[k] ? (a.value[k] as number) : null,
      status: NODE_STATUSES[code] as NodeStatus,
      nScored: a.nScored[k] as number,
      nChildren: a.nChildren[k] as number,
    };
  };
  const modelValues = (i: number, missing: Missing): Record<string, NodeValue> => {
    const out: Record<string, NodeValue> = {};
    for (let j = 0; j < N; j++) {
      const v = cell(i, j, missing);
      if (v) out[snap.nodeOrder[j] as string] = v;
    }
    return out;
  };
  let scores: ModelScores[] | undefined;

  const board: Board = {
    version: snap.version,
    benchmarks: snap.benchmarks,
    ...tree,
    models,
    modelById,
    get scores() {
      scores ??= models.map((_, i) => decodeModelScores(snap, i));
      return scores;
    },
    memo<T>(key: string, compute: () => T): T {
      if (memo.has(key)) return memo.get(key) as T;
      const value = compute();
      memo.set(key, value);
      return value;
    },
    values(missing) {
      return board.memo(
        `values:${missing}`,
        () =>
          new LazyValues(
            (id) => {
              const i = modelIndex.get(id);
              return i === undefined ? undefined : modelValues(i, missing);
            },
            models.map((m) => m.identifier),
          ),
      );
    },
    column(identifier, missing) {
      return board.memo(`column:${missing}:${identifier}`, () => {
        const j = nodeIndex.get(identifier);
        const a = snap.values[missing];
        return models.map((_, i) => {
          if (j === undefined) return null;
          const k = i * N + j;
          const v = a.value[k] as number;
          return a.present[k] && Number.isFinite(v) ? v : null;
        });
      });
    },
    cells(identifier, missing) {
      return board.memo(`cells:${missing}:${identifier}`, () => {
        const j = nodeIndex.get(identifier);
        return models.map((_, i) => (j === undefined ? undefined : cell(i, j, missing)));
      });
    },
    ranks(identifier, missing) {
      return board.memo(`ranks:${missing}:${identifier}`, () => {
        const r = rankWithTies(board.column(identifier, missing), { descending: true });
        return new Map(models.map((m, i) => [m.identifier, r[i] ?? null]));
      });
    },
    leaderboard(rootIdentifier, missing) {
      return board.memo(`leaderboard:${missing}:${rootIdentifier}`, () => {
        const root = tree.byIdentifier.get(rootIdentifier);
        const j = nodeIndex.get(rootIdentifier);
        if (!root || j === undefined) return [];
        const ranks = board.ranks(rootIdentifier, missing);
        const columns = (tree.children.get(root.id) ?? []).map((b) => ({
          benchmark: b,
          j: nodeIndex.get(b.identifier),
        }));
        const rows = models.map((model, i): LeaderboardRow => {
          const v = cell(i, j, missing);
          const score = v?.value;
          return {
            rank: ranks.get(model.identifier) ?? null,
            modelId: model.id,
            model,
            score: score === undefined || score === null || !Number.isFinite(score) ? null : score,
            status: v?.status ?? 'missing',
            children: columns.map(({ benchmark, j: c }) => {
              const cv = c === undefined ? undefined : cell(i, c, missing);
              return { benchmark, value: cv?.value ?? null, status: cv?.status ?? 'missing' };
            }),
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
      const key = correlationKey(args);
      const hit = tables.get(key);
      if (hit) {
        remember(key, hit); // most recently used last
        return hit;
      }
      const rows = computeCorrelations(board, args);
      remember(key, rows);
      return rows;
    },
    correlationsAsync(args) {
      const key = correlationKey(args);
      const hit = tables.get(key);
      if (hit) {
        remember(key, hit);
        return Promise.resolve(hit);
      }
      if (!opts.offload) return Promise.resolve(board.correlations(args));
      let p = pending.get(key);
      if (!p) {
        p = opts.offload(snap.version, args).then(
          (rows) => {
            pending.delete(key);
            remember(key, rows);
            return rows;
          },
          (e: unknown) => {
            pending.delete(key);
            throw e;
          },
        );
        pending.set(key, p);
      }
      return p;
    },
    hasCorrelations(args) {
      return tables.has(correlationKey(args));
    },
    correlationTables() {
      return [...tables.entries()];
    },
    pairs(x, y, missing) {
      const xs = board.column(x, missing);
      const ys = board.column(y, missing);
      return models.flatMap((model, i) => {
        const a = xs[i];
        const b = ys[i];
        return typeof a === 'number' && typeof b === 'number'
          ? [{ modelId: model.id, model, x: a, y: b }]
          : [];
      });
    },
    pairIntervals(args) {
      return args.targets.map((target) => {
        const key = pairKey(args, target);
        let hit = intervals.get(key);
        if (!hit) {
          const ci = percentileBootstrap(
            board.column(args.benchmark, args.missing),
            board.column(target, args.missing),
            args.method,
            { resamples: args.resamples, seed: 0 },
          );
          hit = { target, low: ci.low, high: ci.high };
          intervals.set(key, hit);
        }
        return hit;
      });
    },
    pairIntervalsAsync(args) {
      const known = knownIntervals(args);
      if (known) return Promise.resolve(known);
      if (!opts.offloadIntervals) return Promise.resolve(board.pairIntervals(args));
      const key = JSON.stringify([args.benchmark, args.targets, args.method, args.missing, args.resamples]);
      let p = pendingIntervals.get(key);
      if (!p) {
        p = opts.offloadIntervals(snap.version, args).then(
          (list) => {
            pendingIntervals.delete(key);
            for (const iv of list) intervals.set(pairKey(args, iv.target), iv);
            return list;
          },
          (e: unknown) => {
            pendingIntervals.delete(key);
            throw e;
          },
        );
        pendingIntervals.set(key, p);
      }
      return p;
    },
  };
  return board;
}

/**
 * Every model's node values (Board.values), each model's record made when first asked for: most
 * requests read a few models, and making all of them (models x nodes objects) at once would hold up
 * the event loop on a large board. Iterating makes the rest.
 */
class LazyValues extends Map<string, Record<string, NodeValue>> {
  #make: (model: string) => Record<string, NodeValue> | undefined;
  #identifiers: string[];
  #complete = false;
  constructor(make: (model: string) => Record<string, NodeValue> | undefined, identifiers: string[]) {
    super();
    this.#make = make;
    this.#identifiers = identifiers;
  }
  override get(model: string): Record<string, NodeValue> | undefined {
    const have = super.get(model);
    if (have !== undefined || this.#complete) return have;
    const made = this.#make(model);
    if (made) super.set(model, made);
    return made;
  }
  override has(model: string): boolean {
    return this.get(model) !== undefined;
  }
  #all(): void {
    if (this.#complete) return;
    for (const id of this.#identifiers) this.get(id);
    this.#complete = true;
  }
  override get size(): number {
    return this.#identifiers.length;
  }
  override entries() {
    this.#all();
    return super.entries();
  }
  override keys() {
    this.#all();
    return super.keys();
  }
  override values() {
    this.#all();
    return super.values();
  }
  override forEach(
    fn: (value: Record<string, NodeValue>, key: string, map: Map<string, Record<string, NodeValue>>) => void,
    thisArg?: unknown,
  ): void {
    this.#all();
    super.forEach(fn, thisArg);
  }
  override [Symbol.iterator]() {
    return this.entries();
  }
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
