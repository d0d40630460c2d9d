/**
 * The data behind the leaderboard and correlations: the benchmark catalog and the score matrix of all
 * public models, read in two queries and shared across requests for `ttlMs` (writes through this API
 * invalidate it at once; writes by other processes show within ttlMs). Everything derived from one
 * snapshot (aggregates, rankings, correlation tables) is memoised on it, so concurrent requests
 * compute each once.
 */
import {
  type AggregateResult,
  aggregate,
  type BenchmarkTreeNode,
  type ModelScores,
} from '@alignscope/analysis';
import type { Database } from '@alignscope/db';
import { type Benchmark, listBenchmarks, type MatrixModel, scoreMatrix } from '@alignscope/db/queries';

export type Missing = 'zero' | 'skip';

export type Catalog = {
  benchmarks: Benchmark[];
  byId: Map<number, Benchmark>;
  byIdentifier: Map<string, Benchmark>;
  children: Map<number, Benchmark[]>;
  tree: BenchmarkTreeNode[];
};

export type Snapshot = {
  catalog: Catalog;
  models: MatrixModel[];
  scores: ModelScores[];
  /** Memo of values derived from this snapshot, by key. */
  memo<T>(key: string, compute: () => T): T;
  aggregate(missing: Missing): AggregateResult[];
};

export function buildCatalog(benchmarks: Benchmark[]): Catalog {
  const byId = new Map(benchmarks.map((b) => [b.id, b]));
  const byIdentifier = new Map(benchmarks.map((b) => [b.identifier, b]));
  const children = new Map<number, Benchmark[]>();
  for (const b of benchmarks) {
    if (b.parentId === null) continue;
    const list = children.get(b.parentId) ?? [];
    list.push(b);
    children.set(b.parentId, list);
  }
  const tree = benchmarks.map((b) => ({
    identifier: b.identifier,
    parent: b.parentId === null ? null : (byId.get(b.parentId)?.identifier ?? null),
    domain: b.domain,
  }));
  return { benchmarks, byId, byIdentifier, children, tree };
}

async function loadSnapshot(db: Database): Promise<Snapshot> {
  const [benchmarks, matrix] = await Promise.all([listBenchmarks(db), scoreMatrix(db)]);
  const catalog = buildCatalog(benchmarks);
  const byModel = new Map<number, ModelScores>();
  const scores: ModelScores[] = matrix.models.map((m) => {
    const s: ModelScores = { model: m.identifier, scores: {} };
    byModel.set(m.id, s);
    return s;
  });
  for (const c of matrix.cells) {
    const target = byModel.get(c.modelId);
    if (target) target.scores[c.benchmark] = { status: c.status, raw: c.rawValue, ceiled: c.ceiledValue };
  }
  const memo = new Map<string, unknown>();
  const snapshot: Snapshot = {
    catalog,
    models: matrix.models,
    scores,
    memo<T>(key: string, compute: () => T): T {
      if (memo.has(key)) return memo.get(key) as T;
      const value = compute();
      memo.set(key, value);
      return value;
    },
    aggregate(missing) {
      return snapshot.memo(`aggregate:${missing}`, () => aggregate(catalog.tree, scores, { missing }));
    },
  };
  return snapshot;
}

export type SnapshotCache = {
  /** The current snapshot (read at most once per ttlMs; concurrent callers share one read). */
  get(): Promise<Snapshot>;
  /** The benchmark catalog alone (from the current snapshot when fresh, else its own query). */
  catalog(): Promise<Catalog>;
  /** Drops cached data (after a write). */
  invalidate(): void;
};

export function createSnapshotCache(db: Database, ttlMs: number): SnapshotCache {
  let snap: { at: number; value: Promise<Snapshot> } | undefined;
  let cat: { at: number; value: Promise<Catalog> } | undefined;
  const fresh = (entry: { at: number } | undefined) => entry !== undefined && Date.now() - entry.at < ttlMs;
  return {
    get() {
      if (snap && fresh(snap)) return snap.value;
      const value = loadSnapshot(db);
      const entry = { at: Date.now(), value };
      snap = entry;
      value.catch(() => {
        if (snap === entry) snap = undefined;
      });
      return value;
    },
    catalog() {
      if (snap && fresh(snap)) return snap.value.then((s) => s.catalog);
      if (cat && fresh(cat)) return cat.value;
      const value = listBenchmarks(db).then(buildCatalog);
      const entry = { at: Date.now(), value };
      cat = entry;
      value.catch(() => {
        if (cat === entry) cat = undefined;
      });
      return value;
    },
    invalidate() {
      snap = undefined;
      cat = undefined;
    },
  };
}
