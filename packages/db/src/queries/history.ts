/**
 * Score history: every version of a cell, and what changed between two times (which cells' current
 * values moved, from what to what, and why). The current value at a time is chosen by the default
 * rule (DEFAULT_SOURCE_ORDER in scores.ts) among the versions recorded by then.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { cellKey, currentVersionOrder, type ScoreVersion, versionFromSql } from './scores.ts';

export type Cell = { modelId: number; benchmarkId: number; benchmarkVersion: number };

const intArray = (xs: readonly number[]) => sql.raw(`'{${xs.map((x) => Math.trunc(x)).join(',')}}'::int[]`);

/** The versions of each cell recorded up to `asOf` (default: all), oldest first. */
export async function scoreHistory(
  db: Pick<Database, 'execute'>,
  cells: readonly Cell[],
  asOf?: Date,
): Promise<Map<string, ScoreVersion[]>> {
  const out = new Map<string, ScoreVersion[]>(cells.map((c) => [cellKey(c), []]));
  if (cells.length === 0) return out;
  const r = await db.execute<Record<string, unknown>>(sql`
    select v.* from score_versions v
    join unnest(${intArray(cells.map((c) => c.modelId))}, ${intArray(cells.map((c) => c.benchmarkId))},
      ${intArray(cells.map((c) => c.benchmarkVersion))}) as c(m, b, bv)
      on v.model_id = c.m and v.benchmark_id = c.b and v.benchmark_version = c.bv
    ${asOf ? sql`where v.recorded_at <= ${asOf.toISOString()}::timestamptz` : sql``}
    order by v.recorded_at, v.id`);
  for (const row of r.rows) {
    const v = versionFromSql(row);
    out.get(cellKey(v))?.push(v);
  }
  return out;
}

/** The current value of each given cell as of a time (cells without a version then are absent). */
export async function currentVersionsAsOf(
  db: Pick<Database, 'execute'>,
  cells: readonly Cell[],
  asOf: Date,
): Promise<Map<string, ScoreVersion>> {
  const out = new Map<string, ScoreVersion>();
  if (cells.length === 0) return out;
  const r = await db.execute<Record<string, unknown>>(sql`
    select distinct on (v.model_id, v.benchmark_id, v.benchmark_version) v.* from score_versions v
    join unnest(${intArray(cells.map((c) => c.modelId))}, ${intArray(cells.map((c) => c.benchmarkId))},
      ${intArray(cells.map((c) => c.benchmarkVersion))}) as c(m, b, bv)
      on v.model_id = c.m and v.benchmark_id = c.b and v.benchmark_version = c.bv
    where v.recorded_at <= ${asOf.toISOString()}::timestamptz
    order by ${currentVersionOrder()}`);
  for (const row of r.rows) {
    const v = versionFromSql(row);
    out.set(cellKey(v), v);
  }
  return out;
}

/**
 * Why a cell's current value changed: its first value; a new benchmark version (the first value of
 * this version while the model had a value on an earlier version); a value from another source than
 * before; or a new run of the same source.
 */
export type ChangeReason = 'first-value' | 'new-benchmark-version' | 'new-source' | 'new-run';

export type ScoreChange = Cell & {
  model: string;
  benchmark: string;
  before: ScoreVersion | null;
  after: ScoreVersion;
  reason: ChangeReason;
};

const sameValue = (a: ScoreVersion, b: ScoreVersion) =>
  a.status === b.status && a.rawValue === b.rawValue && a.ceiledValue === b.ceiledValue;

/**
 * Cells of public models whose current value changed between `since` (exclusive) and `until`
 * (inclusive), oldest change first, at most `limit`. A cell where only an unchosen version was added,
 * or whose chosen value is the same number again, did not change.
 */
export async function scoreChanges(
  db: Pick<Database, 'execute'>,
  p: { since: Date; until: Date; limit: number },
): Promise<ScoreChange[]> {
  const touched = await db.execute<{
    model_id: number;
    benchmark_id: number;
    benchmark_version: number;
    model: string;
    benchmark: string;
    earlier_version: boolean;
  }>(sql`
    select v.model_id, v.benchmark_id, v.benchmark_version, m.identifier as model, b.identifier as benchmark,
      exists (select 1 from score_versions e where e.model_id = v.model_id and e.benchmark_id = v.benchmark_id
        and e.benchmark_version < v.benchmark_version and e.recorded_at <= ${p.until.toISOString()}::timestamptz)
        as earlier_version
    from score_versions v
    join models m on m.id = v.model_id and m.visibility = 'public'
    join benchmarks b on b.id = v.benchmark_id
    where v.recorded_at > ${p.since.toISOString()}::timestamptz and v.recorded_at <= ${p.until.toISOString()}::timestamptz
    group by v.model_id, v.benchmark_id, v.benchmark_version, m.identifier, b.identifier
    order by min(v.recorded_at), v.model_id, v.benchmark_id`);
  const cells = touched.rows.map((r) => ({
    modelId: Number(r.model_id),
    benchmarkId: Number(r.benchmark_id),
    benchmarkVersion: Number(r.benchmark_version),
    model: r.model,
    benchmark: r.benchmark,
    earlier: Boolean(r.earlier_version),
  }));
  const [before, after] = await Promise.all([
    currentVersionsAsOf(db, cells, p.since),
    currentVersionsAsOf(db, cells, p.until),
  ]);
  const out: ScoreChange[] = [];
  for (const c of cells) {
    const b = before.get(cellKey(c)) ?? null;
    const a = after.get(cellKey(c));
    if (!a || (b && sameValue(a, b))) continue;
    const reason: ChangeReason = b
      ? a.source !== b.source
        ? 'new-source'
        : 'new-run'
      : c.earlier
        ? 'new-benchmark-version'
        : 'first-value';
    const { earlier: _, ...cell } = c;
    out.push({ ...cell, before: b, after: a, reason });
    if (out.length >= p.limit) break;
  }
  return out;
}
