/**
 * Score history: every version of a cell, and what changed between two times (which cells' current
 * values moved, from what to what, and why). The current value at a time is chosen by the default
 * rule (DEFAULT_SOURCE_ORDER in scores.ts) among the versions recorded by then.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  cellKey,
  currentVersionOrder,
  type Score,
  type ScoreSource,
  type ScoreVersion,
  versionFromSql,
} from './scores.ts';

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

export type CellInterval = {
  modelId: number;
  benchmarkId: number;
  ciLow: number | null;
  ciHigh: number | null;
  ciMethod: string | null;
};

/**
 * The interval of the current value of every public model's cell on the given benchmarks (at each
 * benchmark's current version), or as of a past time (the value the default rule chose among the
 * versions recorded by then, on the version the benchmark had then) — what the board shows, with its
 * uncertainty. Cells without an interval are left out.
 */
export async function cellIntervals(
  db: Pick<Database, 'execute'>,
  p: { benchmarkIds: readonly number[]; asOf?: Date },
): Promise<CellInterval[]> {
  if (p.benchmarkIds.length === 0) return [];
  const ids = intArray(p.benchmarkIds);
  const r = p.asOf
    ? await db.execute<Record<string, unknown>>(sql`
      with bv as (
        select b.id, coalesce((select max(h.version) from benchmark_versions h
          where h.benchmark_id = b.id and h.created_at <= ${p.asOf.toISOString()}::timestamptz), b.version) as version
        from benchmarks b where b.id = any(${ids})
      ), cur as (
        select distinct on (v.model_id, v.benchmark_id, v.benchmark_version)
          v.model_id, v.benchmark_id, v.ci_low, v.ci_high, v.ci_method
        from score_versions v
        join bv on bv.id = v.benchmark_id and bv.version = v.benchmark_version
        where v.recorded_at <= ${p.asOf.toISOString()}::timestamptz
        order by ${currentVersionOrder()}
      )
      select cur.* from cur join models m on m.id = cur.model_id and m.visibility = 'public'
      where cur.ci_low is not null and cur.ci_high is not null`)
    : await db.execute<Record<string, unknown>>(sql`
      select s.model_id, s.benchmark_id, s.ci_low, s.ci_high, s.ci_method from scores s
      join benchmarks b on b.id = s.benchmark_id and b.version = s.benchmark_version
      join models m on m.id = s.model_id and m.visibility = 'public'
      where s.benchmark_id = any(${ids}) and s.ci_low is not null and s.ci_high is not null`);
  return r.rows.map((row) => ({
    modelId: Number(row.model_id),
    benchmarkId: Number(row.benchmark_id),
    ciLow: row.ci_low == null ? null : Number(row.ci_low),
    ciHigh: row.ci_high == null ? null : Number(row.ci_high),
    ciMethod: (row.ci_method ?? null) as string | null,
  }));
}

/** A score version with the identifiers and run a page shows. */
export type ModelScoreVersion = ScoreVersion & {
  benchmark: string;
  /** The benchmark's current version (a version of another one is an older or newer benchmark). */
  currentBenchmarkVersion: number;
  run: { id: number; kind: string; producer: string; producerVersion: string | null } | null;
};

/**
 * Every score version of one model (as of a time, default all), by benchmark in catalog order, then
 * benchmark version and time written: the model page's history panel and its sources side by side.
 */
export async function modelScoreVersions(
  db: Pick<Database, 'execute'>,
  modelId: number,
  asOf?: Date,
): Promise<ModelScoreVersion[]> {
  const r = await db.execute<Record<string, unknown>>(sql`
    select v.*, b.identifier as benchmark, b.version as current_benchmark_version,
      r.kind as run_kind, r.producer as run_producer, r.producer_version as run_producer_version
    from score_versions v
    join benchmarks b on b.id = v.benchmark_id
    left join runs r on r.id = v.run_id
    where v.model_id = ${Math.trunc(modelId)}
      ${asOf ? sql`and v.recorded_at <= ${asOf.toISOString()}::timestamptz` : sql``}
    order by b.sort_order, b.id, v.benchmark_version, v.recorded_at, v.id`);
  return r.rows.map((row) => {
    const v = versionFromSql(row);
    return {
      ...v,
      benchmark: String(row.benchmark),
      currentBenchmarkVersion: Number(row.current_benchmark_version),
      run:
        v.runId === null
          ? null
          : {
              id: v.runId,
              kind: String(row.run_kind ?? 'unknown'),
              producer: String(row.run_producer ?? 'unknown'),
              producerVersion: (row.run_producer_version ?? null) as string | null,
            },
    };
  });
}

/**
 * Which value a read shows: the current values as of a past time (`asOf`: the versions recorded by
 * then, each benchmark at the version it had then) and/or under another source preference
 * (`sourceOrder`, see DEFAULT_SOURCE_ORDER). Empty: the current values (the `scores` table).
 */
export type ScoreView = { asOf?: Date; sourceOrder?: readonly ScoreSource[] };

export const isCurrentView = (v: ScoreView | undefined) =>
  !v || (v.asOf === undefined && v.sourceOrder === undefined);

/** The version a benchmark had at a time (the current one when it has no recorded history then). */
export async function benchmarkVersionAt(
  db: Pick<Database, 'execute'>,
  benchmark: { id: number; version: number },
  asOf: Date,
): Promise<number> {
  const r = await db.execute<{ v: number | null }>(sql`
    select max(version) as v from benchmark_versions
    where benchmark_id = ${Math.trunc(benchmark.id)} and created_at <= ${asOf.toISOString()}::timestamptz`);
  const v = r.rows[0]?.v;
  return v === null || v === undefined ? benchmark.version : Number(v);
}

/**
 * The value each cell shows under a view, as `scores` rows (id: the version's id; createdAt and
 * updatedAt: when the chosen version was recorded), for one model (every benchmark, catalog order) or
 * one benchmark (public models by identifier, after `after`, at most `limit`). Only public models.
 */
export async function scoresInView(
  db: Pick<Database, 'execute'>,
  p: ScoreView & { modelId?: number; benchmarkId?: number; after?: string | null; limit?: number },
): Promise<(Score & { modelIdentifier: string })[]> {
  const iso = (p.asOf ?? new Date()).toISOString();
  const r = await db.execute<Record<string, unknown>>(sql`
    with bv as (
      select b.id, b.sort_order, coalesce((select max(h.version) from benchmark_versions h
        where h.benchmark_id = b.id and h.created_at <= ${iso}::timestamptz), b.version) as version
      from benchmarks b
      ${p.benchmarkId !== undefined ? sql`where b.id = ${Math.trunc(p.benchmarkId)}` : sql``}
    ), cur as (
      select distinct on (v.model_id, v.benchmark_id, v.benchmark_version) v.*, bv.sort_order
      from score_versions v
      join bv on bv.id = v.benchmark_id and bv.version = v.benchmark_version
      where v.recorded_at <= ${iso}::timestamptz
        ${p.modelId !== undefined ? sql`and v.model_id = ${Math.trunc(p.modelId)}` : sql``}
      order by ${currentVersionOrder(p.sourceOrder)}
    )
    select cur.*, m.identifier as model_identifier from cur
    join models m on m.id = cur.model_id and m.visibility = 'public'
    ${p.after ? sql`where m.identifier > ${p.after}` : sql``}
    order by ${p.benchmarkId !== undefined ? sql`m.identifier` : sql`cur.sort_order, cur.benchmark_id`}
    ${p.limit !== undefined ? sql`limit ${Math.trunc(p.limit)}` : sql``}`);
  return r.rows.map((row) => {
    const { sourceBenchmarkVersion: _, recordedAt, ...v } = versionFromSql(row);
    return {
      ...v,
      createdAt: recordedAt,
      updatedAt: recordedAt,
      modelIdentifier: String(row.model_identifier),
    };
  });
}

/** A value with its uncertainty interval (bounds null when it has none). */
export type ValueWithInterval = { value: number; ciLow: number | null; ciHigh: number | null };

/**
 * Whether two values disagree beyond their uncertainty: with both intervals, the intervals do not
 * overlap; with one, the other value lies outside it; with none, nothing can be said (null).
 */
export function beyondUncertainty(a: ValueWithInterval, b: ValueWithInterval): boolean | null {
  const ia = a.ciLow !== null && a.ciHigh !== null ? [a.ciLow, a.ciHigh] : null;
  const ib = b.ciLow !== null && b.ciHigh !== null ? [b.ciLow, b.ciHigh] : null;
  if (ia && ib) return (ia[1] as number) < (ib[0] as number) || (ib[1] as number) < (ia[0] as number);
  if (ia) return b.value < (ia[0] as number) || b.value > (ia[1] as number);
  if (ib) return a.value < (ib[0] as number) || a.value > (ib[1] as number);
  return null;
}

export type ImportComparison = {
  model: string;
  benchmark: string;
  benchmarkVersion: number;
  imported: ValueWithInterval & { sourceBenchmarkVersion: string | null };
  ours: ValueWithInterval & { runId: number | null };
  /** imported − ours. */
  difference: number;
  /** beyondUncertainty(imported, ours). */
  disagrees: boolean | null;
};

/**
 * The scored values an import run wrote, each next to our own newest scored evaluation of the same
 * cell — same model, benchmark and benchmark version only (like with like: a value of another
 * benchmark version is never compared) — in model, benchmark order.
 */
export async function compareImportWithEvaluations(
  db: Pick<Database, 'execute'>,
  runId: number,
): Promise<ImportComparison[]> {
  const r = await db.execute<Record<string, unknown>>(sql`
    with imp as (
      select distinct on (v.model_id, v.benchmark_id, v.benchmark_version) v.* from score_versions v
      where v.run_id = ${Math.trunc(runId)} and v.source = 'import' and v.status = 'scored'
      order by v.model_id, v.benchmark_id, v.benchmark_version, v.recorded_at desc, v.id desc
    ), ev as (
      select distinct on (e.model_id, e.benchmark_id, e.benchmark_version) e.* from score_versions e
      join imp on imp.model_id = e.model_id and imp.benchmark_id = e.benchmark_id
        and imp.benchmark_version = e.benchmark_version
      where e.source = 'evaluation' and e.status = 'scored'
      order by e.model_id, e.benchmark_id, e.benchmark_version, e.recorded_at desc, e.id desc
    )
    select m.identifier as model, b.identifier as benchmark, imp.benchmark_version,
      coalesce(imp.ceiled_value, imp.raw_value) as i_value, imp.ci_low as i_low, imp.ci_high as i_high,
      imp.source_benchmark_version as i_version,
      coalesce(ev.ceiled_value, ev.raw_value) as e_value, ev.ci_low as e_low, ev.ci_high as e_high,
      ev.run_id as e_run
    from imp
    join ev on ev.model_id = imp.model_id and ev.benchmark_id = imp.benchmark_id
      and ev.benchmark_version = imp.benchmark_version
    join models m on m.id = imp.model_id
    join benchmarks b on b.id = imp.benchmark_id
    order by m.identifier, b.sort_order, b.id`);
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return r.rows.map((row) => {
    const imported = {
      value: Number(row.i_value),
      ciLow: n(row.i_low),
      ciHigh: n(row.i_high),
      sourceBenchmarkVersion: (row.i_version ?? null) as string | null,
    };
    const ours = {
      value: Number(row.e_value),
      ciLow: n(row.e_low),
      ciHigh: n(row.e_high),
      runId: n(row.e_run),
    };
    return {
      model: String(row.model),
      benchmark: String(row.benchmark),
      benchmarkVersion: Number(row.benchmark_version),
      imported,
      ours,
      difference: imported.value - ours.value,
      disagrees: beyondUncertainty(imported, ours),
    };
  });
}
