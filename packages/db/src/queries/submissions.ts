/**
 * Authenticated writes of the API: results submissions (one transaction each) and evaluation
 * requests. Inputs arrive validated (packages/schema); these functions enforce ownership and
 * atomicity.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { evaluationRequests, models, runs, scores, submissions } from '../tables/index.ts';
import type { Model } from './models.ts';
import { mayWriteModel } from './models.ts';
import { type Score, type ScoreStatus, writeScoresBulk } from './scores.ts';

export type ModelMetadata = {
  displayName?: string | null;
  architecture?: string | null;
  family?: string | null;
  trainingRegime?: string | null;
  trainingData?: string | null;
  parameters?: number | null;
  source?: string | null;
  license?: string | null;
};

export type SubmittedScore = {
  benchmarkId: number;
  benchmarkVersion: number;
  status: ScoreStatus;
  rawValue: number | null;
  ceiledValue: number | null;
  error: number | null;
  ceiling: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  ciMethod: string | null;
};

export type SubmissionParams = {
  apiKey: { id: number; isAdmin: boolean };
  payloadSha256: string;
  /** The submitted payload, stored verbatim. */
  payload: unknown;
  model: { identifier: string } & ModelMetadata;
  scores: SubmittedScore[];
  provenance: {
    producer: string;
    producerVersion: string | null;
    configuration: Record<string, unknown>;
    environment: Record<string, unknown>;
  };
};

export type SubmissionOutcome =
  | {
      kind: 'accepted';
      /** True when this key had already submitted the same payload (nothing was written again). */
      duplicate: boolean;
      submissionId: number;
      model: Model;
      modelCreated: boolean;
      scores: Score[];
    }
  | { kind: 'forbidden'; message: string };

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The model's scores of the submitted (benchmark, version) pairs, in submission order. */
async function currentScores(tx: Tx, modelId: number, submitted: SubmittedScore[]): Promise<Score[]> {
  if (submitted.length === 0) return [];
  const rows = await tx
    .select()
    .from(scores)
    .where(
      and(
        eq(scores.modelId, modelId),
        inArray(
          scores.benchmarkId,
          submitted.map((s) => s.benchmarkId),
        ),
      ),
    );
  const key = (benchmarkId: number, version: number) => `${benchmarkId}:${version}`;
  const byKey = new Map(rows.map((r) => [key(r.benchmarkId, r.benchmarkVersion), r]));
  return submitted.flatMap((s) => byKey.get(key(s.benchmarkId, s.benchmarkVersion)) ?? []);
}

/**
 * Applies a submission all-or-nothing: creates the model (owned by the key) or checks that the key
 * may write it (its owner, or an admin key), records the submission with its payload hash, opens a
 * run of kind `submission` and upserts every score through it. Re-sending a payload the key already
 * submitted changes nothing and reports `duplicate: true`.
 */
export async function applySubmission(db: Database, p: SubmissionParams): Promise<SubmissionOutcome> {
  return db.transaction(async (tx) => {
    // Serialise identical submissions so that two concurrent re-sends cannot both be "new".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${p.payloadSha256}, 0))`);
    const [previous] = await tx
      .select({ id: submissions.id })
      .from(submissions)
      .where(and(eq(submissions.payloadSha256, p.payloadSha256), eq(submissions.apiKeyId, p.apiKey.id)))
      .limit(1);

    const metadata = Object.fromEntries(
      Object.entries({
        displayName: p.model.displayName,
        architecture: p.model.architecture,
        family: p.model.family,
        trainingRegime: p.model.trainingRegime,
        trainingData: p.model.trainingData,
        parameters: p.model.parameters,
        source: p.model.source,
        license: p.model.license,
      }).filter(([, v]) => v !== undefined),
    ) as ModelMetadata;

    const inserted = await tx
      .insert(models)
      .values({
        identifier: p.model.identifier,
        ...metadata,
        displayName: metadata.displayName ?? p.model.identifier,
        ownerKeyId: p.apiKey.id,
      })
      .onConflictDoNothing({ target: models.identifier })
      .returning();
    let model = inserted[0];
    const modelCreated = model !== undefined;
    if (!model) {
      const [existing] = await tx
        .select()
        .from(models)
        .where(eq(models.identifier, p.model.identifier))
        .for('update')
        .limit(1);
      if (!existing) throw new Error(`model ${p.model.identifier} vanished during the submission`);
      if (!mayWriteModel(existing, p.apiKey)) {
        return {
          kind: 'forbidden',
          message: `model ${p.model.identifier} belongs to another key; only its owner or an admin key may write it`,
        };
      }
      model = existing;
    }
    if (previous) {
      return {
        kind: 'accepted',
        duplicate: true,
        submissionId: previous.id,
        model,
        modelCreated: false,
        scores: await currentScores(tx, model.id, p.scores),
      };
    }
    if (!modelCreated && Object.keys(metadata).length > 0) {
      const [updated] = await tx
        .update(models)
        .set({ ...metadata, displayName: metadata.displayName ?? model.displayName, updatedAt: new Date() })
        .where(eq(models.id, model.id))
        .returning();
      if (updated) model = updated;
    }
    const [submission] = await tx
      .insert(submissions)
      .values({ apiKeyId: p.apiKey.id, payloadSha256: p.payloadSha256, payload: p.payload })
      .returning({ id: submissions.id });
    if (!submission) throw new Error('submission was not recorded');
    const [run] = await tx
      .insert(runs)
      .values({
        kind: 'submission',
        status: 'succeeded',
        modelId: model.id,
        submissionId: submission.id,
        producer: p.provenance.producer,
        producerVersion: p.provenance.producerVersion,
        configuration: p.provenance.configuration,
        environment: p.provenance.environment,
        finishedAt: new Date(),
      })
      .returning({ id: runs.id });
    if (!run) throw new Error('run was not created');
    if (p.scores.length > 0) {
      await writeScoresBulk(
        tx,
        p.scores.map((s) => ({ ...s, modelId: model.id, runId: run.id, source: 'submission' as const })),
      );
    }
    return {
      kind: 'accepted',
      duplicate: false,
      submissionId: submission.id,
      model,
      modelCreated,
      scores: await currentScores(tx, model.id, p.scores),
    };
  });
}

export type EvaluationRequest = typeof evaluationRequests.$inferSelect;

/** Records a request to evaluate a model on some benchmarks (status `pending`). */
export async function createEvaluationRequest(
  db: Database,
  params: { modelId: number; apiKeyId: number; benchmarks: string[] },
): Promise<EvaluationRequest> {
  const [row] = await db.insert(evaluationRequests).values(params).returning();
  if (!row) throw new Error('evaluation request was not recorded');
  return row;
}

/** Row counts of the tables the API writes (tests use it to show a rejected request changed nothing). */
export async function writeCounts(db: Database): Promise<{
  models: number;
  scores: number;
  runs: number;
  submissions: number;
  evaluationRequests: number;
}> {
  const r = await db.execute<{
    models: number;
    scores: number;
    runs: number;
    submissions: number;
    evaluationRequests: number;
  }>(sql`select
    (select count(*)::int from ${models}) as models,
    (select count(*)::int from ${scores}) as scores,
    (select count(*)::int from ${runs}) as runs,
    (select count(*)::int from ${submissions}) as submissions,
    (select count(*)::int from ${evaluationRequests}) as "evaluationRequests"`);
  const row = r.rows[0];
  if (!row) throw new Error('no counts');
  return row;
}
