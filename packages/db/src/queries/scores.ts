import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, models, scores } from '../tables/index.ts';

export type Score = typeof scores.$inferSelect;
export type ScoreStatus = Score['status'];

export type ScoreInput = {
  modelId: number;
  benchmarkId: number;
  benchmarkVersion: number;
  status: ScoreStatus;
  rawValue?: number | null;
  ceiledValue?: number | null;
  error?: number | null;
  ceiling?: number | null;
  runId?: number | null;
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
    runId: s.runId ?? null,
  };
}

type ScoreValues = Pick<Score, 'status' | 'rawValue' | 'ceiledValue' | 'error' | 'ceiling'>;

/** Whether two scores carry the same values (the run that produced them aside). */
export function sameScoreValues(a: ScoreValues, b: ScoreValues): boolean {
  return (
    a.status === b.status &&
    a.rawValue === b.rawValue &&
    a.ceiledValue === b.ceiledValue &&
    a.error === b.error &&
    a.ceiling === b.ceiling
  );
}

export type NewScoreRow = Omit<typeof scores.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Writes many scores at once: each row is inserted, or replaces the values and run of the score with
 * the same (model, benchmark, version). Works inside a transaction too.
 */
export async function writeScoresBulk(
  db: Pick<Database, 'insert'>,
  rows: readonly NewScoreRow[],
): Promise<void> {
  const updatedAt = new Date();
  // 9 parameters a row; chunks stay well below PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < rows.length; i += 5000) {
    await db
      .insert(scores)
      .values(rows.slice(i, i + 5000))
      .onConflictDoUpdate({
        target: [scores.modelId, scores.benchmarkId, scores.benchmarkVersion],
        set: {
          status: sql`excluded.status`,
          rawValue: sql`excluded.raw_value`,
          ceiledValue: sql`excluded.ceiled_value`,
          error: sql`excluded.error`,
          ceiling: sql`excluded.ceiling`,
          runId: sql`excluded.run_id`,
          updatedAt,
        },
      });
  }
}

/**
 * Writes the score of (model, benchmark, version): a new row, an update of the existing one, or
 * nothing when every value is the same (so re-imports are idempotent and keep their run link).
 */
export async function upsertScore(
  db: Database,
  s: ScoreInput,
): Promise<{ score: Score; outcome: UpsertOutcome }> {
  const values = scoreRow(s);
  const [existing] = await db
    .select()
    .from(scores)
    .where(
      and(
        eq(scores.modelId, s.modelId),
        eq(scores.benchmarkId, s.benchmarkId),
        eq(scores.benchmarkVersion, s.benchmarkVersion),
      ),
    )
    .limit(1);
  if (existing && sameScoreValues(existing, values)) {
    return { score: existing, outcome: 'unchanged' };
  }
  const [row] = await db
    .insert(scores)
    .values(values)
    .onConflictDoUpdate({
      target: [scores.modelId, scores.benchmarkId, scores.benchmarkVersion],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
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
