import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { runs, scores } from '../tables/index.ts';
import type { Run } from './runs.ts';
import type { Score } from './scores.ts';

/** A transaction of the platform database (what guards and transactional queries receive). */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export type EvaluationOutcome =
  | {
      run: Run;
      /** The score row of (model, benchmark, version) after the write. */
      score: Score;
      /**
       * `scored`: the new value was written; `failed`: a failed score was written; `kept`: the run
       * failed but an earlier scored value of the same benchmark version was kept (the failed run is
       * in history).
       */
      written: 'scored' | 'failed' | 'kept';
    }
  | {
      run: Run;
      score: null;
      /** A partial run (a `--limit` subset): its value stays with the run, the board is untouched. */
      written: 'partial';
    };

/**
 * Closes an evaluation run and writes its score in one transaction, so a score is never marked
 * `scored` without its finished run. A succeeded run replaces the score of (model, benchmark,
 * version) and links it; a failed run is recorded as failed with its error, and writes a `failed`
 * score unless a `scored` one already exists (a failed re-run does not erase a valid result).
 * A partial run (`partial: true`, e.g. a `--limit` subset of the benchmark's images) writes no score:
 * its value is kept in the run's artifacts (`partialScore`) and never stands as the benchmark's score.
 */
export async function completeEvaluationRun(
  db: Database,
  p: {
    runId: number;
    modelId: number;
    benchmarkId: number;
    benchmarkVersion: number;
    timings?: Record<string, unknown>;
    artifacts?: Record<string, unknown>;
    environment?: Record<string, unknown>;
    configuration?: Record<string, unknown>;
    log?: string | null;
    /** A run on a subset of the benchmark's data: recorded, never written as the score. */
    partial?: boolean;
  } & (
    | {
        status: 'succeeded';
        value: { raw: number; ceiled: number | null; error: number | null; ceiling: number | null };
      }
    | { status: 'failed'; error: string }
  ),
  /**
   * Runs first inside the transaction; throwing rolls the whole write back (a queue job ends in the
   * same transaction as its score: see finishJob).
   */
  guard?: (tx: Transaction) => Promise<void>,
): Promise<EvaluationOutcome> {
  return db.transaction(async (tx) => {
    await guard?.(tx);
    const [run] = await tx
      .update(runs)
      .set({
        status: p.status,
        error: p.status === 'failed' ? p.error : null,
        finishedAt: new Date(),
        ...(p.timings ? { timings: p.timings } : {}),
        ...(p.artifacts || p.partial
          ? {
              artifacts: {
                ...p.artifacts,
                ...(p.partial
                  ? { partial: true, partialScore: p.status === 'succeeded' ? p.value : null }
                  : {}),
              },
            }
          : {}),
        ...(p.environment ? { environment: p.environment } : {}),
        ...(p.configuration ? { configuration: p.configuration } : {}),
        ...(p.log !== undefined ? { log: p.log } : {}),
      })
      .where(eq(runs.id, p.runId))
      .returning();
    if (!run) throw new Error(`run ${p.runId} not found`);
    if (p.partial) return { run, score: null, written: 'partial' as const };
    const key = and(
      eq(scores.modelId, p.modelId),
      eq(scores.benchmarkId, p.benchmarkId),
      eq(scores.benchmarkVersion, p.benchmarkVersion),
    );
    const [existing] = await tx.select().from(scores).where(key).limit(1).for('update');
    if (p.status === 'failed' && existing?.status === 'scored') {
      return { run, score: existing, written: 'kept' as const };
    }
    const values =
      p.status === 'succeeded'
        ? {
            status: 'scored' as const,
            rawValue: p.value.raw,
            ceiledValue: p.value.ceiled,
            error: p.value.error,
            ceiling: p.value.ceiling,
          }
        : { status: 'failed' as const, rawValue: null, ceiledValue: null, error: null, ceiling: null };
    const [score] = await tx
      .insert(scores)
      .values({
        modelId: p.modelId,
        benchmarkId: p.benchmarkId,
        benchmarkVersion: p.benchmarkVersion,
        runId: p.runId,
        ...values,
      })
      .onConflictDoUpdate({
        target: [scores.modelId, scores.benchmarkId, scores.benchmarkVersion],
        set: { ...values, runId: p.runId, updatedAt: new Date() },
      })
      .returning();
    if (!score) throw new Error('score was not written');
    return { run, score, written: p.status === 'succeeded' ? ('scored' as const) : ('failed' as const) };
  });
}
