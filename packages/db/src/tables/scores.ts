import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { benchmarks } from './benchmarks.ts';
import { scoreSource, scoreStatus } from './enums.ts';
import { models } from './models.ts';
import { runs } from './runs.ts';

/**
 * The current value of each cell (model, benchmark, benchmark version), chosen from the cell's
 * `score_versions` by the default rule (scored before failed/not-run; then evaluation, submission,
 * import; then the newest). It is derived: every write appends a version and re-chooses this row, so
 * nothing written is lost; `asOf` and other rules read `score_versions` directly.
 */
export const scores = pgTable(
  'scores',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    modelId: integer()
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    benchmarkId: integer()
      .notNull()
      .references(() => benchmarks.id, { onDelete: 'restrict' }),
    benchmarkVersion: integer().notNull(),
    status: scoreStatus().notNull(),
    rawValue: doublePrecision(),
    ceiledValue: doublePrecision(),
    error: doublePrecision(),
    ceiling: doublePrecision(),
    /**
     * Uncertainty interval of the score's value (the ceiled value when ceiled, else the raw value) and
     * how it was obtained (e.g. `clopper-pearson 95%`, a trial bootstrap with its resamples and seed, or
     * the source's own error). Null bounds with a method say why there is none; a null method means the
     * score was written before intervals were recorded.
     */
    ciLow: doublePrecision(),
    ciHigh: doublePrecision(),
    ciMethod: text(),
    runId: integer().references(() => runs.id, { onDelete: 'set null' }),
    /** The source of the chosen version (null: written before sources were recorded, without a run). */
    source: scoreSource(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scores_model_benchmark_version_uq').on(t.modelId, t.benchmarkId, t.benchmarkVersion),
    index('scores_benchmark_idx').on(t.benchmarkId),
    check(
      'scores_scored_has_value',
      sql`${t.status} <> 'scored' or ${t.rawValue} is not null or ${t.ceiledValue} is not null`,
    ),
    check('scores_ci_ordered', sql`${t.ciLow} is null or ${t.ciHigh} is null or ${t.ciLow} <= ${t.ciHigh}`),
  ],
);

/**
 * Every value ever written to a cell, append-only: an evaluation, an import and a submission of the
 * same cell each keep their value, run, source and time. `sourceBenchmarkVersion` is the benchmark
 * version the source itself named (e.g. Brain-Score's `_v2`), kept beside the platform's version.
 */
export const scoreVersions = pgTable(
  'score_versions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    modelId: integer()
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    benchmarkId: integer()
      .notNull()
      .references(() => benchmarks.id, { onDelete: 'restrict' }),
    benchmarkVersion: integer().notNull(),
    source: scoreSource(),
    sourceBenchmarkVersion: text(),
    status: scoreStatus().notNull(),
    rawValue: doublePrecision(),
    ceiledValue: doublePrecision(),
    error: doublePrecision(),
    ceiling: doublePrecision(),
    ciLow: doublePrecision(),
    ciHigh: doublePrecision(),
    ciMethod: text(),
    runId: integer().references(() => runs.id, { onDelete: 'set null' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('score_versions_cell_idx').on(t.modelId, t.benchmarkId, t.benchmarkVersion, t.recordedAt),
    index('score_versions_recorded_idx').on(t.recordedAt),
  ],
);
