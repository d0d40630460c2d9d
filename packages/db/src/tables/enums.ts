import { pgEnum } from 'drizzle-orm/pg-core';

/** The three states of a score; never folded into one another. */
export const scoreStatus = pgEnum('score_status', ['scored', 'failed', 'not-run']);

/** Where a benchmark sits: the alignment domains, engineering, or adversarial robustness. */
export const benchmarkDomain = pgEnum('benchmark_domain', [
  'aggregate',
  'neural',
  'behavioral',
  'engineering',
  'robustness',
]);

export const runKind = pgEnum('run_kind', ['evaluation', 'attack', 'import', 'submission']);
export const runStatus = pgEnum('run_status', ['running', 'succeeded', 'failed']);
export const visibility = pgEnum('visibility', ['public', 'private']);

/**
 * Who wrote a score version: the platform's own evaluation (or attack), a submission through the API,
 * or an import of published results. The default rule for a cell's current value prefers them in this
 * order (packages/db/src/queries/score-versions.ts).
 */
export const scoreSource = pgEnum('score_source', ['evaluation', 'submission', 'import']);
