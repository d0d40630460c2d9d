import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { benchmarks } from './benchmarks.ts';
import { scoreStatus } from './enums.ts';
import { models } from './models.ts';
import { runs } from './runs.ts';

/**
 * One score per (model, benchmark, benchmark version): a re-written score is an update. The run that
 * produced the current value is linked; earlier runs stay in `runs` as history.
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
    runId: integer().references(() => runs.id, { onDelete: 'set null' }),
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
  ],
);
