/**
 * Read queries of the web dashboard: the whole board in one compact read (models, benchmarks and
 * current-version scores as ids), a cheap fingerprint to know when a cached board is stale, and a
 * model's scores with the provenance of each.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, evaluationRequests, models, runs, scores, submissions } from '../tables/index.ts';
import type { ScoreStatus } from './scores.ts';

export type BoardModel = {
  id: number;
  identifier: string;
  displayName: string;
  architecture: string | null;
  family: string | null;
  trainingRegime: string | null;
  trainingData: string | null;
  parameters: number | null;
};

export type BoardScore = {
  modelId: number;
  benchmarkId: number;
  status: ScoreStatus;
  rawValue: number | null;
  ceiledValue: number | null;
};

export type BoardData = {
  models: BoardModel[];
  benchmarks: (typeof benchmarks.$inferSelect)[];
  scores: BoardScore[];
};

const STATUSES = new Set<string>(['scored', 'failed', 'not-run']);

/**
 * Public models, every benchmark node, and every score at its benchmark's current version. Scores come
 * as one text row per model (`benchmark,status,raw,ceiled;...`): for 150,000 scores this is several
 * times faster than one result row per score through node-postgres. Doubles print exactly (Postgres 12+
 * shortest round-trip output), so parsing them back loses nothing.
 */
export async function leaderboardData(db: Database): Promise<BoardData> {
  const [modelRows, benchmarkRows, scoreText] = await Promise.all([
    db
      .select({
        id: models.id,
        identifier: models.identifier,
        displayName: models.displayName,
        architecture: models.architecture,
        family: models.family,
        trainingRegime: models.trainingRegime,
        trainingData: models.trainingData,
        parameters: models.parameters,
      })
      .from(models)
      .where(eq(models.visibility, 'public'))
      .orderBy(asc(models.identifier)),
    db.select().from(benchmarks).orderBy(asc(benchmarks.sortOrder), asc(benchmarks.id)),
    db.execute<{ model_id: number; t: string }>(sql`
      select ${scores.modelId} as model_id,
        string_agg(concat(${scores.benchmarkId}, ',', ${scores.status}, ',',
          coalesce(${scores.rawValue}::text, ''), ',', coalesce(${scores.ceiledValue}::text, '')), ';') as t
      from ${scores}
      join ${benchmarks} on ${benchmarks.id} = ${scores.benchmarkId} and ${benchmarks.version} = ${scores.benchmarkVersion}
      group by ${scores.modelId}`),
  ]);
  const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
  const scoreRows: BoardScore[] = [];
  for (const row of scoreText.rows) {
    const modelId = Number(row.model_id);
    for (const item of row.t.split(';')) {
      const [b, status, raw, ceiled] = item.split(',');
      if (status === undefined || !STATUSES.has(status)) throw new Error(`unexpected score status ${status}`);
      scoreRows.push({
        modelId,
        benchmarkId: Number(b),
        status: status as ScoreStatus,
        rawValue: num(raw),
        ceiledValue: num(ceiled),
      });
    }
  }
  return { models: modelRows, benchmarks: benchmarkRows, scores: scoreRows };
}

/**
 * A string that changes whenever anything the board shows changes (row counts and latest update
 * times of models, scores and benchmarks), so a cached board can be reused until then.
 */
export async function boardFingerprint(db: Database): Promise<string> {
  const r = await db.execute<{ f: string }>(sql`select concat_ws('|',
      (select count(*) from ${models}), (select max(${models.updatedAt})::text from ${models}),
      (select count(*) from ${scores}), (select max(${scores.updatedAt})::text from ${scores}),
      (select count(*) from ${benchmarks}), (select max(${benchmarks.createdAt})::text from ${benchmarks}),
      (select sum(${benchmarks.version}) from ${benchmarks})) as f`);
  return r.rows[0]?.f ?? '';
}

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

/**
 * Gives a model without an owner to `keyId` (a model uploaded through the web app belongs to the key
 * that uploaded it); returns the owner afterwards (null when the model does not exist).
 */
export async function claimModel(db: Database, identifier: string, keyId: number): Promise<number | null> {
  await db
    .update(models)
    .set({ ownerKeyId: keyId })
    .where(and(eq(models.identifier, identifier), sql`${models.ownerKeyId} is null`));
  const [row] = await db
    .select({ owner: models.ownerKeyId })
    .from(models)
    .where(eq(models.identifier, identifier))
    .limit(1);
  return row ? row.owner : null;
}
