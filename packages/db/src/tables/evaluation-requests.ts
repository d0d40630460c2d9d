import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { apiKeys } from './keys.ts';
import { models } from './models.ts';

/**
 * A request, made through the API, to evaluate a model on some benchmarks. The job queue picks up
 * `pending` requests; until it exists the request is only recorded.
 */
export const evaluationRequests = pgTable(
  'evaluation_requests',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    modelId: integer()
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    apiKeyId: integer().references(() => apiKeys.id, { onDelete: 'set null' }),
    /** Benchmark identifiers, deduplicated, in request order. */
    benchmarks: jsonb().$type<string[]>().notNull(),
    /** pending | queued | running | done | failed (text, so the queue can add states without a migration). */
    status: text().notNull().default('pending'),
    /** The queue's job id once enqueued. */
    jobId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('evaluation_requests_model_idx').on(t.modelId),
    index('evaluation_requests_status_idx').on(t.status),
  ],
);
