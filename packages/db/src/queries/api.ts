/**
 * Reads behind the GraphQL API (packages/schema): paginated listings with keyset cursors, the batch
 * queries of its DataLoaders, and bulk writes for seeding. (The board behind the leaderboard and
 * correlations is read by board.ts.)
 * Only public models are listed.
 */
import { and, asc, count, desc, eq, exists, gt, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { apiKeys, benchmarks, models, runs, scores } from '../tables/index.ts';
import type { Model } from './models.ts';
import type { Run } from './runs.ts';
import { type NewScoreRow, type Score, writeScoresBulk } from './scores.ts';

export type ModelFilter = {
  /** Case-insensitive substring of the identifier or display name (LIKE wildcards are literal). */
  search?: string | null;
  family?: string | null;
  trainingRegime?: string | null;
  /** Only models with a scored result on this benchmark (identifier, current version). */
  hasScoreFor?: string | null;
};

export type ModelOrder = 'identifier_asc' | 'identifier_desc' | 'created_desc';

/** The position after which a page starts: the sort key of the last row seen. */
export type ModelKeyset = { identifier: string } | { createdAt: Date; id: number };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function modelConditions(filter: ModelFilter): SQL[] {
  const conds: SQL[] = [eq(models.visibility, 'public')];
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    const c = or(ilike(models.identifier, pattern), ilike(models.displayName, pattern));
    if (c) conds.push(c);
  }
  if (filter.family) conds.push(eq(models.family, filter.family));
  if (filter.trainingRegime) conds.push(eq(models.trainingRegime, filter.trainingRegime));
  if (filter.hasScoreFor) {
    conds.push(
      exists(
        sql`(select 1 from ${scores} s join ${benchmarks} b on b.id = s.benchmark_id and b.version = s.benchmark_version
             where s.model_id = ${models.id} and s.status = 'scored' and b.identifier = ${filter.hasScoreFor})`,
      ),
    );
  }
  return conds;
}

/** created_at at the millisecond precision of a cursor (JavaScript dates), so keyset comparisons are exact. */
const createdMs = sql`date_trunc('milliseconds', ${models.createdAt})`;

/** One page of public models (up to `limit` rows) after `after`, in `order`. */
export async function listModelsPage(
  db: Database,
  params: { filter?: ModelFilter; order?: ModelOrder; after?: ModelKeyset | null; limit: number },
): Promise<Model[]> {
  const order = params.order ?? 'identifier_asc';
  const conds = modelConditions(params.filter ?? {});
  const after = params.after;
  if (after) {
    if ('identifier' in after) {
      conds.push(
        order === 'identifier_desc'
          ? lt(models.identifier, after.identifier)
          : gt(models.identifier, after.identifier),
      );
    } else {
      conds.push(
        sql`(${createdMs}, ${models.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id})`,
      );
    }
  }
  const orderBy =
    order === 'identifier_asc'
      ? [asc(models.identifier)]
      : order === 'identifier_desc'
        ? [desc(models.identifier)]
        : [desc(createdMs), desc(models.id)];
  return db
    .select()
    .from(models)
    .where(and(...conds))
    .orderBy(...orderBy)
    .limit(params.limit);
}

/** How many public models match `filter`. */
export async function countModels(db: Database, filter: ModelFilter = {}): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(models)
    .where(and(...modelConditions(filter)));
  return row?.n ?? 0;
}

/** Public models by identifier (any order; absent identifiers are skipped). */
export async function getPublicModelsByIdentifiers(
  db: Database,
  identifiers: readonly string[],
): Promise<Model[]> {
  if (identifiers.length === 0) return [];
  return db
    .select()
    .from(models)
    .where(and(inArray(models.identifier, [...identifiers]), eq(models.visibility, 'public')));
}

/** Scores at each benchmark's current version for many models at once (a DataLoader batch). */
export async function getScoresForModels(db: Database, modelIds: readonly number[]): Promise<Score[]> {
  if (modelIds.length === 0) return [];
  const rows = await db
    .select({ score: scores })
    .from(scores)
    .innerJoin(
      benchmarks,
      and(eq(benchmarks.id, scores.benchmarkId), eq(benchmarks.version, scores.benchmarkVersion)),
    )
    .where(inArray(scores.modelId, [...modelIds]))
    .orderBy(asc(scores.modelId), asc(benchmarks.sortOrder));
  return rows.map((r) => r.score);
}

/**
 * One page of the current-version scores of a benchmark, ordered by model identifier, after the model
 * identifier `after`. Only public models.
 */
export async function listBenchmarkScoresPage(
  db: Database,
  params: { benchmarkId: number; after?: string | null; limit: number },
): Promise<(Score & { modelIdentifier: string })[]> {
  const conds = [
    eq(scores.benchmarkId, params.benchmarkId),
    eq(scores.benchmarkVersion, benchmarks.version),
    eq(models.visibility, 'public'),
  ];
  if (params.after) conds.push(gt(models.identifier, params.after));
  const rows = await db
    .select({ score: scores, modelIdentifier: models.identifier })
    .from(scores)
    .innerJoin(models, eq(models.id, scores.modelId))
    .innerJoin(benchmarks, eq(benchmarks.id, scores.benchmarkId))
    .where(and(...conds))
    .orderBy(asc(models.identifier))
    .limit(params.limit);
  return rows.map((r) => ({ ...r.score, modelIdentifier: r.modelIdentifier }));
}

export async function countBenchmarkScores(db: Database, benchmarkId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(scores)
    .innerJoin(models, eq(models.id, scores.modelId))
    .innerJoin(benchmarks, eq(benchmarks.id, scores.benchmarkId))
    .where(
      and(
        eq(scores.benchmarkId, benchmarkId),
        eq(scores.benchmarkVersion, benchmarks.version),
        eq(models.visibility, 'public'),
      ),
    );
  return row?.n ?? 0;
}

export async function getRunsByIds(db: Database, ids: readonly number[]): Promise<Run[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(runs)
    .where(inArray(runs.id, [...ids]));
}

/** Names of API keys by id (a model's `submittedBy`). */
export async function getApiKeyNamesByIds(
  db: Database,
  ids: readonly number[],
): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    .where(inArray(apiKeys.id, [...ids]));
}

/**
 * Inserts many models at once (seeding tests and benchmarks); existing identifiers are left alone.
 * Returns id by identifier of every given model.
 */
export async function insertModelsBulk(
  db: Database,
  rows: (typeof models.$inferInsert)[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await db.insert(models).values(chunk).onConflictDoNothing({ target: models.identifier });
    const found = await db
      .select({ id: models.id, identifier: models.identifier })
      .from(models)
      .where(
        inArray(
          models.identifier,
          chunk.map((r) => r.identifier),
        ),
      );
    for (const f of found) ids.set(f.identifier, f.id);
  }
  return ids;
}

/** Inserts or overwrites many scores at once (seeding tests and benchmarks). */
export async function upsertScoresBulk(db: Database, rows: NewScoreRow[]): Promise<void> {
  await writeScoresBulk(db, rows);
}
