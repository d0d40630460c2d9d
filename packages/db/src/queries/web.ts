/**
 * Read queries of the web dashboard's model pages: a model's scores with the provenance of each, and
 * its evaluation requests. (The board itself is read by board.ts.)
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, evaluationRequests, runs, scores, submissions } from '../tables/index.ts';
import type { ScoreStatus } from './scores.ts';

export type ScoreProvenance = {
  benchmark: string;
  benchmarkVersion: number;
  status: ScoreStatus;
  rawValue: number | null;
  ceiledValue: number | null;
  error: number | null;
  ceiling: number | null;
  updatedAt: Date;
  run: {
    id: number;
    kind: string;
    status: string;
    producer: string;
    producerVersion: string | null;
    configuration: unknown;
    environment: unknown;
    error: string | null;
    startedAt: Date;
    finishedAt: Date | null;
    submissionId: number | null;
    submittedAt: Date | null;
  } | null;
};

/** One model's current-version scores, each with the run (and submission) that produced it. */
export async function scoresWithProvenance(db: Database, modelId: number): Promise<ScoreProvenance[]> {
  const rows = await db
    .select({
      benchmark: benchmarks.identifier,
      benchmarkVersion: scores.benchmarkVersion,
      status: scores.status,
      rawValue: scores.rawValue,
      ceiledValue: scores.ceiledValue,
      error: scores.error,
      ceiling: scores.ceiling,
      updatedAt: scores.updatedAt,
      runId: runs.id,
      kind: runs.kind,
      runStatus: runs.status,
      producer: runs.producer,
      producerVersion: runs.producerVersion,
      configuration: runs.configuration,
      environment: runs.environment,
      runError: runs.error,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      submissionId: runs.submissionId,
      submittedAt: submissions.createdAt,
    })
    .from(scores)
    .innerJoin(
      benchmarks,
      and(eq(benchmarks.id, scores.benchmarkId), eq(benchmarks.version, scores.benchmarkVersion)),
    )
    .leftJoin(runs, eq(runs.id, scores.runId))
    .leftJoin(submissions, eq(submissions.id, runs.submissionId))
    .where(eq(scores.modelId, modelId))
    .orderBy(asc(benchmarks.sortOrder));
  return rows.map((r) => ({
    benchmark: r.benchmark,
    benchmarkVersion: r.benchmarkVersion,
    status: r.status,
    rawValue: r.rawValue,
    ceiledValue: r.ceiledValue,
    error: r.error,
    ceiling: r.ceiling,
    updatedAt: r.updatedAt,
    run:
      r.runId === null
        ? null
        : {
            id: r.runId,
            kind: r.kind ?? 'unknown',
            status: r.runStatus ?? 'unknown',
            producer: r.producer ?? 'unknown',
            producerVersion: r.producerVersion,
            configuration: r.configuration,
            environment: r.environment,
            error: r.runError,
            startedAt: r.startedAt ?? new Date(0),
            finishedAt: r.finishedAt,
            submissionId: r.submissionId,
            submittedAt: r.submittedAt,
          },
  }));
}

export type ModelEvaluationRequest = {
  id: number;
  benchmarks: string[];
  status: string;
  createdAt: Date;
  updatedAt: Date;
};

/** A model's evaluation requests, newest first (for the status shown on its page). */
export async function listEvaluationRequestsForModel(
  db: Database,
  modelId: number,
): Promise<ModelEvaluationRequest[]> {
  return db
    .select({
      id: evaluationRequests.id,
      benchmarks: evaluationRequests.benchmarks,
      status: evaluationRequests.status,
      createdAt: evaluationRequests.createdAt,
      updatedAt: evaluationRequests.updatedAt,
    })
    .from(evaluationRequests)
    .where(eq(evaluationRequests.modelId, modelId))
    .orderBy(desc(evaluationRequests.createdAt), desc(evaluationRequests.id));
}
