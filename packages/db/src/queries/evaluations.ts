import { eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { runs } from '../tables/index.ts';
import type { Run } from './runs.ts';
import { getCurrentScore, type Score, writeScoresBulk } from './scores.ts';

/** A transaction of the platform database (what guards and transactional queries receive). */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export type EvaluationOutcome =
  | {
      run: Run;
      /** The current value of (model, benchmark, version) after the write. */
      score: Score;
      /**
       * `scored`: the new value is current; `failed`: the cell's current value is the failure; `kept`:
       * the run failed and a scored value of the same benchmark version stays current (the failure is
       * a version of the cell).
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
 * `scored` without its finished run. Each run appends a version of source `evaluation` to its cell
 * (a failed run a `failed` one); the current value is re-chosen by the rule, so a succeeded run's value
 * becomes current and a failed re-run does not displace a valid result.
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
        value: {
          raw: number;
          ceiled: number | null;
          error: number | null;
          ceiling: number | null;
          /** Interval of the value (ceiled, else raw) and its method; null bounds when there is none. */
          interval: { low: number | null; high: number | null; method: string };
        };
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
    const cell = { modelId: p.modelId, benchmarkId: p.benchmarkId, benchmarkVersion: p.benchmarkVersion };
    const values =
      p.status === 'succeeded'
        ? {
            status: 'scored' as const,
            rawValue: p.value.raw,
            ceiledValue: p.value.ceiled,
            error: p.value.error,
            ceiling: p.value.ceiling,
            ciLow: p.value.interval.low,
            ciHigh: p.value.interval.high,
            ciMethod: p.value.interval.method,
          }
        : { status: 'failed' as const };
    // Every run's outcome is a version of the cell; the rule keeps a scored value current over a
    // failed re-run.
    await writeScoresBulk(tx, [{ ...cell, ...values, runId: p.runId, source: 'evaluation' }]);
    const score = await getCurrentScore(tx, cell);
    if (!score) throw new Error('score was not written');
    const written =
      p.status === 'succeeded'
        ? ('scored' as const)
        : score.status === 'scored'
          ? ('kept' as const)
          : ('failed' as const);
    return { run, score, written };
  });
}
