import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { evaluationRequests } from './evaluation-requests.ts';
import { models } from './models.ts';
import { runs } from './runs.ts';

/** What a running job last reported: share done, the stage it is in, and the estimated time left. */
export type JobProgress = {
  fraction: number;
  stage: string;
  etaSeconds: number | null;
  updatedAt: string;
};

/**
 * One evaluation job: a (model, benchmark, configuration) with a stable key, so that a second request
 * for the same work joins the existing job instead of queueing another. The Postgres queue
 * (graphile-worker) only wakes workers; this row is the truth about the job: its state, attempts,
 * the claim of the worker running it (heartbeat), progress, checkpoint, error and the run it produced.
 */
export const evaluationJobs = pgTable(
  'evaluation_jobs',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** sha256 of (model, model file sha256, benchmark, benchmark version, configuration). */
    jobKey: text().notNull(),
    modelId: integer()
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    benchmark: text().notNull(),
    benchmarkVersion: integer().notNull(),
    /** The ONNX file the job evaluates (its sha256), part of the key: a new file is new work. */
    modelSha256: text(),
    /** Settings that change the score (e.g. an image limit); {} for the platform defaults. */
    configuration: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** queued | running | succeeded | failed | cancelled */
    state: text().notNull().default('queued'),
    /** Higher runs first. */
    priority: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(3),
    timeoutSeconds: integer()
      .notNull()
      .default(6 * 3600),
    /** The claim of the worker running it (a random token) and that worker's queue id. */
    claim: text(),
    worker: text(),
    heartbeatAt: timestamp({ withTimezone: true }),
    progress: jsonb().$type<JobProgress>(),
    /** Benchmark state saved while running (AutoAttack: points done, flags, stage results). */
    checkpoint: jsonb(),
    checkpointAt: timestamp({ withTimezone: true }),
    error: text(),
    runId: integer().references(() => runs.id, { onDelete: 'set null' }),
    /** Seconds spent running, summed over attempts (quota accounting). */
    computeSeconds: real().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_jobs_key_idx').on(t.jobKey),
    index('evaluation_jobs_model_idx').on(t.modelId),
    index('evaluation_jobs_state_idx').on(t.state),
  ],
);

/** Which jobs a request asked for (a job may serve several requests). */
export const evaluationRequestJobs = pgTable(
  'evaluation_request_jobs',
  {
    requestId: integer()
      .notNull()
      .references(() => evaluationRequests.id, { onDelete: 'cascade' }),
    jobId: integer()
      .notNull()
      .references(() => evaluationJobs.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.jobId] }),
    index('evaluation_request_jobs_job_idx').on(t.jobId),
  ],
);

/**
 * The benchmarks some evaluator worker can run, registered by workers when they start: the API
 * refuses a request for a benchmark no worker runs, or whose label space the model does not have.
 */
export const evaluatorBenchmarks = pgTable('evaluator_benchmarks', {
  identifier: text().primaryKey(),
  version: integer().notNull(),
  /** The model label space the benchmark needs (`imagenet-1k`, `cifar-10`). */
  labelSpace: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
