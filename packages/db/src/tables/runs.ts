import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { runKind, runStatus } from './enums.ts';
import { apiKeys } from './keys.ts';
import { models } from './models.ts';

/** An accepted results submission: payload kept verbatim with its hash and the key that sent it. */
export const submissions = pgTable(
  'submissions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    apiKeyId: integer().references(() => apiKeys.id, { onDelete: 'set null' }),
    payloadSha256: text().notNull(),
    payload: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('submissions_hash_idx').on(t.payloadSha256)],
);

/**
 * Who or what produced scores: an evaluation, an attack, an import or a submission, with its
 * configuration, environment, timings, log and artifacts.
 */
export const runs = pgTable(
  'runs',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kind: runKind().notNull(),
    status: runStatus().notNull().default('running'),
    modelId: integer().references(() => models.id, { onDelete: 'cascade' }),
    submissionId: integer().references(() => submissions.id, { onDelete: 'set null' }),
    producer: text().notNull(),
    producerVersion: text(),
    configuration: jsonb().notNull().default({}),
    environment: jsonb().notNull().default({}),
    timings: jsonb().notNull().default({}),
    artifacts: jsonb().notNull().default({}),
    log: text(),
    error: text(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('runs_model_idx').on(t.modelId)],
);
