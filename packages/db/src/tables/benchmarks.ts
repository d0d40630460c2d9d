import {
  type AnyPgColumn,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { benchmarkDomain } from './enums.ts';

/**
 * A benchmark or an aggregate node of the benchmark tree (Brain-Score identifiers where one exists).
 * Robustness benchmarks keep attack, norm, eps, profile and data set in `parameters`.
 */
export const benchmarks = pgTable(
  'benchmarks',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    identifier: text().notNull().unique(),
    /** The current version; bumped whenever the way scores are computed changes. */
    version: integer().notNull().default(1),
    parentId: integer().references((): AnyPgColumn => benchmarks.id, { onDelete: 'restrict' }),
    domain: benchmarkDomain().notNull(),
    displayName: text(),
    metric: text(),
    ceiling: doublePrecision(),
    /** Lower and upper bound of valid raw values (used to validate submissions). */
    rangeMin: doublePrecision(),
    rangeMax: doublePrecision(),
    description: text(),
    reference: text(),
    parameters: jsonb().notNull().default({}),
    sortOrder: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('benchmarks_parent_idx').on(t.parentId)],
);

/**
 * The history of a benchmark's versions: when each version began and what changed. Scores belong to
 * one version; the board compares only scores of a benchmark's current version (as of its time).
 */
export const benchmarkVersions = pgTable(
  'benchmark_versions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    benchmarkId: integer()
      .notNull()
      .references(() => benchmarks.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    changes: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('benchmark_versions_uq').on(t.benchmarkId, t.version)],
);
