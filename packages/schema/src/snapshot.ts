/**
 * The data behind the leaderboard and correlations: the benchmark catalog and the score matrix of all
 * public models, read in three queries and shared across requests. Every `ttlMs` a cheap
 * fingerprint query (scoreDataVersion) checks whether the data changed; only then is the matrix read
 * again, so writes by other processes show within about ttlMs and writes through this API at once
 * (invalidate). Everything derived from one snapshot (aggregates, rankings, correlation tables) is
 * memoised on it, so it is computed once per data version, however many requests ask.
 */
import {
  type AggregateResult,
  aggregate,
  type BenchmarkTreeNode,
  type ModelScores,
} from '@alignscope/analysis';
import type { Database } from '@alignscope/db';
import {
  type Benchmark,
  listBenchmarks,
  listPublicModels,
  type MatrixModel,
  type Model,
  scoreDataVersion,
  scoreMatrix,
} from '@alignscope/db/queries';

export type Missing = 'zero' | 'skip';

export type Catalog = {
  benchmarks: Benchmark[];
  byId: Map<number, Benchmark>;
  byIdentifier: Map<string, Benchmark>;
  children: Map<number, Benchmark[]>;
  tree: BenchmarkTreeNode[];
};

export type Snapshot = {
  /** The data fingerprint read just before the matrix. */
  version: string;
  catalog: Catalog;
  models: MatrixModel[];
  /** Full rows of the public models, by id (what leaderboard and scatter rows show). */
  modelRows: Map<number, Model>;
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

async function loadSnapshot(db: Database, version: string): Promise<Snapshot> {
  const [benchmarks, matrix, rows] = await Promise.all([
    listBenchmarks(db),
    scoreMatrix(db),
    listPublicModels(db),
  ]);
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
    version,
    catalog,
    models: matrix.models,
    modelRows: new Map(rows.map((m) => [m.id, m])),
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
  /** The current snapshot (concurrent callers share one read). */
  get(): Promise<Snapshot>;
  /** The benchmark catalog alone (from the current snapshot when fresh, else its own query). */
  catalog(): Promise<Catalog>;
  /** Drops cached data (after a write). */
  invalidate(): void;
};

/**
 * `ttlMs`: how long a snapshot is used before the data fingerprint is checked again. With ttlMs > 0
 * the check (and a reload when the data changed) runs in the background while requests keep getting
 * the previous snapshot, so no request waits on it; with 0 every call checks first.
 */
export function createSnapshotCache(db: Database, ttlMs: number): SnapshotCache {
  let current: { checkedAt: number; value: Promise<Snapshot> } | undefined;
  let revalidating: Promise<void> | undefined;
  let cat: { at: number; value: Promise<Catalog> } | undefined;
  const fresh = (previous: Promise<Snapshot> | undefined): Promise<Snapshot> =>
    (async () => {
      const version = await scoreDataVersion(db);
      const old = previous ? await previous.catch(() => undefined) : undefined;
      if (old && old.version === version) return old;
      return loadSnapshot(db, version);
    })();
  const replace = (value: Promise<Snapshot>): Promise<Snapshot> => {
    const entry = { checkedAt: Date.now(), value };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
  return {
    get() {
      if (!current) return replace(fresh(undefined));
      if (Date.now() - current.checkedAt < ttlMs) return current.value;
      if (ttlMs <= 0) return replace(fresh(current.value));
      if (!revalidating) {
        const entry = current;
        revalidating = fresh(entry.value)
          .then((snapshot) => {
            // Only if nothing replaced the entry meanwhile (an invalidation drops it).
            if (current === entry) current = { checkedAt: Date.now(), value: Promise.resolve(snapshot) };
          })
          .catch(() => {}) // keep serving the previous snapshot; the next call tries again
          .finally(() => {
            revalidating = undefined;
          });
      }
      return current.value;
    },
    catalog() {
      if (current && Date.now() - current.checkedAt < ttlMs) return current.value.then((s) => s.catalog);
      if (cat && Date.now() - cat.at < ttlMs) return cat.value;
      const value = listBenchmarks(db).then(buildCatalog);
      const entry = { at: Date.now(), value };
      cat = entry;
      value.catch(() => {
        if (cat === entry) cat = undefined;
      });
      return value;
    },
    invalidate() {
      current = undefined;
      cat = undefined;
    },
  };
}
