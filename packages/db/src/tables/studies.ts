import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { evaluationJobs } from './jobs.ts';

/**
 * A study: a validated definition (cohort, benchmarks, robustness settings, analysis), versioned by
 * content (a changed definition under the same name is the next version), its last plan, state and
 * the computed result (tables with provenance). Evaluation runs name their study in
 * `runs.configuration.study` (`name@version`).
 */
export const studies = pgTable(
  'studies',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    version: integer().notNull(),
    /** sha256 of the canonical JSON of the definition. */
    definitionSha256: text().notNull(),
    definition: jsonb().notNull(),
    /**
     * defined | requested (runStudy, not yet planned by a worker) | running | interrupted | computed |
     * done_with_failures (computed over the scores that succeeded; some planned ones failed) | failed
     */
    status: text().notNull().default('defined'),
    plan: jsonb(),
    /** Overall progress of the last run: tasks done of total. */
    progress: jsonb(),
    result: jsonb(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('studies_name_version_uq').on(t.name, t.version),
    uniqueIndex('studies_name_sha_uq').on(t.name, t.definitionSha256),
    index('studies_name_idx').on(t.name),
  ],
);

/**
 * The evaluation jobs a study enqueued (a job may serve several studies and requests: the same model,
 * benchmark and configuration is one job, so a second study joins it instead of running it again).
 */
export const studyJobs = pgTable(
  'study_jobs',
  {
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    jobId: integer()
      .notNull()
      .references(() => evaluationJobs.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.jobId] }), index('study_jobs_job_idx').on(t.jobId)],
);
