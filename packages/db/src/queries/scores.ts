import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, models, scores, scoreVersions } from '../tables/index.ts';

export type Score = typeof scores.$inferSelect;
export type ScoreStatus = Score['status'];
export type ScoreSource = NonNullable<Score['source']>;

export type ScoreInput = {
  modelId: number;
  benchmarkId: number;
  benchmarkVersion: number;
  status: ScoreStatus;
  rawValue?: number | null;
  ceiledValue?: number | null;
  error?: number | null;
  ceiling?: number | null;
  /** Interval of the value and its method (see the `scores` table). */
  ciLow?: number | null;
  ciHigh?: number | null;
  ciMethod?: string | null;
  runId?: number | null;
  /** Who wrote the value (the default rule prefers evaluation, then submission, then import). */
  source?: ScoreSource | null;
  /** The benchmark version the source named, when it names one (e.g. Brain-Score's `_v2`). */
  sourceBenchmarkVersion?: string | null;
};

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** The row of a score input (absent values as null). */
export function scoreRow(s: ScoreInput) {
  return {
    modelId: s.modelId,
    benchmarkId: s.benchmarkId,
    benchmarkVersion: s.benchmarkVersion,
    status: s.status,
    rawValue: s.rawValue ?? null,
    ceiledValue: s.ceiledValue ?? null,
    error: s.error ?? null,
    ceiling: s.ceiling ?? null,
    ciLow: s.ciLow ?? null,
    ciHigh: s.ciHigh ?? null,
    ciMethod: s.ciMethod ?? null,
    runId: s.runId ?? null,
  };
}

/**
 * The interval of an imported or submitted score that brings none of its own: the error the source gives, as a band
 * of ±1 error around the value (Brain-Score's `error` is not a 95 % interval, and the method says so),
 * else no interval, with a method saying that the source gives no uncertainty.
 */
export function sourceInterval(
  source: string,
  s: Pick<ScoreInput, 'status' | 'rawValue' | 'ceiledValue' | 'error'>,
): { ciLow: number | null; ciHigh: number | null; ciMethod: string | null } {
  if (s.status !== 'scored') return { ciLow: null, ciHigh: null, ciMethod: null };
  const value = s.ceiledValue ?? s.rawValue;
  if (value == null || s.error == null || !Number.isFinite(s.error)) {
    return { ciLow: null, ciHigh: null, ciMethod: `none: ${source} gives no uncertainty` };
  }
  const e = Math.abs(s.error);
  return {
    ciLow: value - e,
    ciHigh: value + e,
    ciMethod: `source error: value ± 1 error as given by ${source}`,
  };
}

type ScoreValues = Pick<
  Score,
  'status' | 'rawValue' | 'ceiledValue' | 'error' | 'ceiling' | 'ciLow' | 'ciHigh' | 'ciMethod'
>;

/** Whether two scores carry the same values (the run that produced them aside). */
export function sameScoreValues(a: ScoreValues, b: ScoreValues): boolean {
  return (
    a.status === b.status &&
    a.rawValue === b.rawValue &&
    a.ceiledValue === b.ceiledValue &&
    a.error === b.error &&
    a.ceiling === b.ceiling &&
    a.ciLow === b.ciLow &&
    a.ciHigh === b.ciHigh &&
    a.ciMethod === b.ciMethod
  );
}

/** A score version to write (its cell, source, values and run). */
export type NewScoreRow = Omit<typeof scoreVersions.$inferInsert, 'id' | 'recordedAt'>;

type Writer = Pick<Database, 'insert' | 'execute'>;

/**
 * The default rule for a cell's current value: a scored version before a failed or not-run one; among
 * those, the platform's own evaluation, else a submission, else an import (a version without a source
 * last); then the newest (latest `recordedAt`, then largest id). `sourceOrder` replaces the source
 * preference; the rest of the rule stays.
 */
export const DEFAULT_SOURCE_ORDER: readonly ScoreSource[] = ['evaluation', 'submission', 'import'];

/** `order by` terms choosing a cell's current version from `score_versions` aliased `v`. */
export function currentVersionOrder(sourceOrder: readonly ScoreSource[] = DEFAULT_SOURCE_ORDER) {
  const order = sql.raw(`'{${sourceOrder.join(',')}}'::score_source[]`);
  return sql`v.model_id, v.benchmark_id, v.benchmark_version, (v.status = 'scored') desc,
    array_position(${order}, v.source) asc nulls last, v.recorded_at desc, v.id desc`;
}

const intArray = (xs: readonly number[]) => sql.raw(`'{${xs.map((x) => Math.trunc(x)).join(',')}}'::int[]`);

/**
 * Re-chooses the current value (the `scores` row) of the given cells from their versions by the
 * default rule. A row whose values did not change keeps its `updatedAt`.
 */
async function refreshCurrent(
  db: Pick<Database, 'execute'>,
  cells: readonly { modelId: number; benchmarkId: number; benchmarkVersion: number }[],
): Promise<void> {
  for (let i = 0; i < cells.length; i += 10_000) {
    const chunk = cells.slice(i, i + 10_000);
    await db.execute(sql`
      insert into scores (model_id, benchmark_id, benchmark_version, status, raw_value, ceiled_value, error,
        ceiling, ci_low, ci_high, ci_method, run_id, source, updated_at)
      select distinct on (v.model_id, v.benchmark_id, v.benchmark_version)
        v.model_id, v.benchmark_id, v.benchmark_version, v.status, v.raw_value, v.ceiled_value, v.error,
        v.ceiling, v.ci_low, v.ci_high, v.ci_method, v.run_id, v.source, now()
      from score_versions v
      join unnest(${intArray(chunk.map((c) => c.modelId))}, ${intArray(chunk.map((c) => c.benchmarkId))},
        ${intArray(chunk.map((c) => c.benchmarkVersion))}) as c(m, b, bv)
        on v.model_id = c.m and v.benchmark_id = c.b and v.benchmark_version = c.bv
      order by ${currentVersionOrder()}
      on conflict (model_id, benchmark_id, benchmark_version) do update set
        status = excluded.status, raw_value = excluded.raw_value, ceiled_value = excluded.ceiled_value,
        error = excluded.error, ceiling = excluded.ceiling, ci_low = excluded.ci_low, ci_high = excluded.ci_high,
        ci_method = excluded.ci_method, run_id = excluded.run_id, source = excluded.source,
        updated_at = excluded.updated_at
      where (scores.status, scores.raw_value, scores.ceiled_value, scores.error, scores.ceiling, scores.ci_low,
        scores.ci_high, scores.ci_method, scores.run_id, scores.source)
        is distinct from (excluded.status, excluded.raw_value, excluded.ceiled_value, excluded.error,
        excluded.ceiling, excluded.ci_low, excluded.ci_high, excluded.ci_method, excluded.run_id, excluded.source)`);
  }
}

/**
 * Appends score versions (nothing is overwritten) and re-chooses the current value of their cells.
 * Works inside a transaction too.
 */
export async function writeScoresBulk(db: Writer, rows: readonly NewScoreRow[]): Promise<void> {
  if (rows.length === 0) return;
  const recordedAt = new Date();
  // 16 parameters a row; chunks stay well below PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < rows.length; i += 4000) {
    await db.insert(scoreVersions).values(rows.slice(i, i + 4000).map((r) => ({ ...r, recordedAt })));
  }
  const cells = new Map<string, NewScoreRow>();
  for (const r of rows) cells.set(`${r.modelId}:${r.benchmarkId}:${r.benchmarkVersion}`, r);
  await refreshCurrent(db, [...cells.values()]);
}

export type ScoreVersion = typeof scoreVersions.$inferSelect;

/** The newest version of each given cell written by `source` (null: versions without a source). */
export async function newestVersionsBySource(
  db: Pick<Database, 'execute'>,
  source: ScoreSource | null,
  cells: readonly { modelId: number; benchmarkId: number; benchmarkVersion: number }[],
): Promise<Map<string, ScoreVersion>> {
  const out = new Map<string, ScoreVersion>();
  for (let i = 0; i < cells.length; i += 10_000) {
    const chunk = cells.slice(i, i + 10_000);
    const r = await db.execute<Record<string, unknown>>(sql`
      select distinct on (v.model_id, v.benchmark_id, v.benchmark_version) v.*
      from score_versions v
      join unnest(${intArray(chunk.map((c) => c.modelId))}, ${intArray(chunk.map((c) => c.benchmarkId))},
        ${intArray(chunk.map((c) => c.benchmarkVersion))}) as c(m, b, bv)
        on v.model_id = c.m and v.benchmark_id = c.b and v.benchmark_version = c.bv
      where v.source is not distinct from ${source}::score_source
      order by v.model_id, v.benchmark_id, v.benchmark_version, v.recorded_at desc, v.id desc`);
    for (const row of r.rows) {
      const v = versionFromSql(row);
      out.set(cellKey(v), v);
    }
  }
  return out;
}

export const cellKey = (c: { modelId: number; benchmarkId: number; benchmarkVersion: number }) =>
  `${c.modelId}:${c.benchmarkId}:${c.benchmarkVersion}`;

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A `score_versions` row read with raw SQL (snake_case) as the drizzle type. */
export function versionFromSql(r: Record<string, unknown>): ScoreVersion {
  return {
    id: Number(r.id),
    modelId: Number(r.model_id),
    benchmarkId: Number(r.benchmark_id),
    benchmarkVersion: Number(r.benchmark_version),
    source: (r.source ?? null) as ScoreSource | null,
    sourceBenchmarkVersion: (r.source_benchmark_version ?? null) as string | null,
    status: r.status as ScoreStatus,
    rawValue: numOrNull(r.raw_value),
    ceiledValue: numOrNull(r.ceiled_value),
    error: numOrNull(r.error),
    ceiling: numOrNull(r.ceiling),
    ciLow: numOrNull(r.ci_low),
    ciHigh: numOrNull(r.ci_high),
    ciMethod: (r.ci_method ?? null) as string | null,
    runId: numOrNull(r.run_id),
    recordedAt: r.recorded_at instanceof Date ? r.recorded_at : new Date(String(r.recorded_at)),
  };
}

/** The current value (the `scores` row) of one cell. */
export async function getCurrentScore(
  db: Pick<Database, 'select'>,
  c: { modelId: number; benchmarkId: number; benchmarkVersion: number },
): Promise<Score | undefined> {
  const [row] = await db
    .select()
    .from(scores)
    .where(
      and(
        eq(scores.modelId, c.modelId),
        eq(scores.benchmarkId, c.benchmarkId),
        eq(scores.benchmarkVersion, c.benchmarkVersion),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Writes a value of (model, benchmark, version) as a new version — or nothing when the newest version
 * from the same source carries the same values (so re-imports are idempotent) — and returns the cell's
 * current value. `created`: the cell had no value before; `updated`: a version was added.
 */
export async function upsertScore(
  db: Database,
  s: ScoreInput,
): Promise<{ score: Score; outcome: UpsertOutcome }> {
  const values = scoreRow(s);
  const source = s.source ?? null;
  const existing = await getCurrentScore(db, s);
  const newest = (await newestVersionsBySource(db, source, [s])).get(cellKey(s));
  if (existing && newest && sameScoreValues(newest, values)) {
    return { score: existing, outcome: 'unchanged' };
  }
  await writeScoresBulk(db, [
    { ...values, source, sourceBenchmarkVersion: s.sourceBenchmarkVersion ?? null },
  ]);
  const row = await getCurrentScore(db, s);
  if (!row) throw new Error('score was not written');
  return { score: row, outcome: existing ? 'updated' : 'created' };
}

export type ScoreRow = {
  model: string;
  benchmark: string;
  benchmarkVersion: number;
  status: ScoreStatus;
  rawValue: number | null;
  ceiledValue: number | null;
  error: number | null;
  ceiling: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  ciMethod: string | null;
  runId: number | null;
};

/** Scores at each benchmark's current version, joined with identifiers (optionally of one model). */
export async function listScores(
  db: Database,
  params: { model?: string; benchmark?: string } = {},
): Promise<ScoreRow[]> {
  const conds = [eq(scores.benchmarkVersion, benchmarks.version)];
  if (params.model) conds.push(eq(models.identifier, params.model));
  if (params.benchmark) conds.push(eq(benchmarks.identifier, params.benchmark));
  return db
    .select({
      model: models.identifier,
      benchmark: benchmarks.identifier,
      benchmarkVersion: scores.benchmarkVersion,
      status: scores.status,
      rawValue: scores.rawValue,
      ceiledValue: scores.ceiledValue,
      error: scores.error,
      ceiling: scores.ceiling,
      ciLow: scores.ciLow,
      ciHigh: scores.ciHigh,
      ciMethod: scores.ciMethod,
      runId: scores.runId,
    })
    .from(scores)
    .innerJoin(models, eq(models.id, scores.modelId))
    .innerJoin(benchmarks, eq(benchmarks.id, scores.benchmarkId))
    .where(and(...conds))
    .orderBy(models.identifier, benchmarks.sortOrder);
}

export async function countScores(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(scores);
  return row?.n ?? 0;
}

/**
 * The current version among one cell's versions by the rule `currentVersionOrder` applies in SQL (a
 * scored version first; then the source order, a version without a source last; then the newest), for
 * pages that already hold every version.
 */
export function chooseCurrentVersion<V extends Pick<ScoreVersion, 'status' | 'source' | 'recordedAt' | 'id'>>(
  versions: readonly V[],
  sourceOrder: readonly ScoreSource[] = DEFAULT_SOURCE_ORDER,
): V | undefined {
  const pos = (s: ScoreSource | null) => {
    const i = s === null ? -1 : sourceOrder.indexOf(s);
    return i < 0 ? sourceOrder.length : i;
  };
  let best: V | undefined;
  for (const v of versions) {
    if (!best) {
      best = v;
      continue;
    }
    const d =
      Number(best.status === 'scored') - Number(v.status === 'scored') ||
      pos(v.source) - pos(best.source) ||
      best.recordedAt.getTime() - v.recordedAt.getTime() ||
      best.id - v.id;
    if (d < 0) best = v;
  }
  return best;
}
