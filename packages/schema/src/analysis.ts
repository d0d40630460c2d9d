/**
 * The leaderboard and correlation tables of a snapshot, computed by @alignscope/analysis and memoised
 * on the snapshot.
 */
import { type CorrelationRow, correlate, rankWithTies } from '@alignscope/analysis';
import type { Benchmark } from '@alignscope/db/queries';
import type { Missing, Snapshot } from './snapshot.ts';
import type { LeaderboardRowParent } from './types.ts';

/** Every public model ranked by `root`: rank ascending, unranked last, ties by identifier. */
export function leaderboardRows(
  snapshot: Snapshot,
  root: Benchmark,
  missing: Missing,
): LeaderboardRowParent[] {
  return snapshot.memo(`leaderboard:${root.identifier}:${missing}`, () => {
    const results = snapshot.aggregate(missing);
    const byModel = new Map(results.map((r) => [r.model, r.values]));
    const columns = snapshot.catalog.children.get(root.id) ?? [];
    const values = snapshot.models.map((m) => byModel.get(m.identifier)?.[root.identifier]?.value ?? null);
    const ranks = rankWithTies(values, { descending: true });
    const rows = snapshot.models.map((m, i): LeaderboardRowParent & { identifier: string } => {
      const v = byModel.get(m.identifier);
      return {
        identifier: m.identifier,
        modelId: m.id,
        model: snapshot.modelRows.get(m.id),
        rank: ranks[i] ?? null,
        score: values[i] ?? null,
        status: v?.[root.identifier]?.status ?? 'missing',
        children: columns.map((benchmark) => ({
          benchmark,
          value: v?.[benchmark.identifier]?.value ?? null,
          status: v?.[benchmark.identifier]?.status ?? 'missing',
        })),
      };
    });
    rows.sort((a, b) =>
      a.rank === b.rank
        ? a.identifier < b.identifier
          ? -1
          : a.identifier > b.identifier
            ? 1
            : 0
        : a.rank === null
          ? 1
          : b.rank === null
            ? -1
            : a.rank - b.rank,
    );
    return rows.map(({ identifier: _i, ...row }) => row);
  });
}

/** Values of every benchmark node per model (aggregated with `missing`), in snapshot model order. */
export function columns(snapshot: Snapshot, missing: Missing): Map<string, (number | null)[]> {
  return snapshot.memo(`columns:${missing}`, () => {
    const results = snapshot.aggregate(missing);
    const byModel = new Map(results.map((r) => [r.model, r.values]));
    const out = new Map<string, (number | null)[]>();
    for (const b of snapshot.catalog.benchmarks) {
      out.set(
        b.identifier,
        snapshot.models.map((m) => byModel.get(m.identifier)?.[b.identifier]?.value ?? null),
      );
    }
    return out;
  });
}

export type CorrelationArgs = {
  target: string;
  method: 'spearman' | 'pearson' | 'kendall';
  covariate: string | null;
  minN: number;
  missing: Missing;
  bootstrap: number;
};

/**
 * The correlation table: analysis.correlate over every benchmark node that has at least one value
 * (plus target and covariate), bootstrap seeded with 0.
 */
export function correlationRows(snapshot: Snapshot, a: CorrelationArgs): CorrelationRow[] {
  // Bounded: there are many argument combinations, and each table costs up to seconds of CPU.
  let tables = correlationTables.get(snapshot);
  if (!tables) {
    tables = new Map();
    correlationTables.set(snapshot, tables);
  }
  const key = JSON.stringify(a);
  const hit = tables.get(key);
  if (hit) {
    tables.delete(key); // most recently used last
    tables.set(key, hit);
    return hit;
  }
  const rows = computeCorrelations(snapshot, a);
  tables.set(key, rows);
  if (tables.size > MAX_CORRELATION_TABLES) {
    const oldest = tables.keys().next().value;
    if (oldest !== undefined) tables.delete(oldest);
  }
  return rows;
}

/** Correlation tables kept per snapshot (least recently used dropped first). */
export const MAX_CORRELATION_TABLES = 64;
const correlationTables = new WeakMap<Snapshot, Map<string, CorrelationRow[]>>();

function computeCorrelations(snapshot: Snapshot, a: CorrelationArgs): CorrelationRow[] {
  const all = columns(snapshot, a.missing);
  const input: Record<string, (number | null)[]> = {};
  for (const [id, values] of all) {
    if (id === a.target || id === a.covariate || values.some((v) => v !== null)) input[id] = values;
  }
  return correlate(
    { models: snapshot.models.map((m) => m.identifier), columns: input },
    {
      target: a.target,
      method: a.method,
      ...(a.covariate ? { covariate: a.covariate } : {}),
      minN: a.minN,
      bootstrap: a.bootstrap > 0 ? { resamples: a.bootstrap, seed: 0 } : false,
    },
  );
}
