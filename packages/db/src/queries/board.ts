/**
 * The board in one read — every benchmark node, every public model, and every score at its
 * benchmark's current version — and the one data version that says when a board read earlier is
 * stale. Both faces (the GraphQL API and the web pages) build their board from these two functions
 * only (packages/board).
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, models, scores } from '../tables/index.ts';
import type { Benchmark } from './benchmarks.ts';
import type { Model } from './models.ts';
import { currentVersionOrder, type ScoreSource, type ScoreStatus } from './scores.ts';

export type BoardScore = {
  modelId: number;
  benchmarkId: number;
  status: ScoreStatus;
  rawValue: number | null;
  ceiledValue: number | null;
};

export type BoardData = {
  /** Public models, by identifier. */
  models: Model[];
  /** Every benchmark node, in catalog order. */
  benchmarks: Benchmark[];
  /** Scores of public models at their benchmark's current version. */
  scores: BoardScore[];
};

const STATUSES = new Set<string>(['scored', 'failed', 'not-run']);

/**
 * The whole board. Scores come as one text row per model (`benchmark,status,raw,ceiled;...`): for
 * 150,000 scores this is several times faster than one result row per score through node-postgres.
 * Doubles print exactly (Postgres 12+ shortest round-trip output), so parsing them back loses nothing.
 */
export async function boardData(db: Database, at: BoardAt = {}): Promise<BoardData> {
  if (at.asOf !== undefined || at.sourceOrder !== undefined) return boardDataAt(db, at);
  const [modelRows, benchmarkRows, scoreText] = await Promise.all([
    db.select().from(models).where(eq(models.visibility, 'public')).orderBy(asc(models.identifier)),
    db.select().from(benchmarks).orderBy(asc(benchmarks.sortOrder), asc(benchmarks.id)),
    db.execute<{ model_id: number; t: string }>(sql`
      select ${scores.modelId} as model_id,
        string_agg(concat(${scores.benchmarkId}, ',', ${scores.status}, ',',
          coalesce(${scores.rawValue}::text, ''), ',', coalesce(${scores.ceiledValue}::text, '')), ';') as t
      from ${scores}
      join ${benchmarks} on ${benchmarks.id} = ${scores.benchmarkId} and ${benchmarks.version} = ${scores.benchmarkVersion}
      join ${models} on ${models.id} = ${scores.modelId} and ${models.visibility} = 'public'
      group by ${scores.modelId}`),
  ]);
  return { models: modelRows, benchmarks: benchmarkRows, scores: parseScoreText(scoreText.rows) };
}

/**
 * Which board to read: as of a past time (`asOf`: the versions recorded by then, each benchmark at
 * the version it had then, models and benchmarks that existed then) and/or with another source
 * preference for the current value (`sourceOrder`, see DEFAULT_SOURCE_ORDER). Empty: the board now.
 */
export type BoardAt = { asOf?: Date; sourceOrder?: readonly ScoreSource[] };

/** The board read from `score_versions` (as of a time and/or under another rule); one text row per model. */
async function boardDataAt(db: Database, at: BoardAt): Promise<BoardData> {
  const asOf = at.asOf ?? new Date();
  const iso = asOf.toISOString();
  const [modelRows, benchmarkRows, scoreText] = await Promise.all([
    db
      .select()
      .from(models)
      .where(and(eq(models.visibility, 'public'), lte(models.createdAt, asOf)))
      .orderBy(asc(models.identifier)),
    db
      .select()
      .from(benchmarks)
      .where(lte(benchmarks.createdAt, asOf))
      .orderBy(asc(benchmarks.sortOrder), asc(benchmarks.id)),
    scoresAtText(db, iso, at),
  ]);
  return { models: modelRows, benchmarks: benchmarkRows, scores: parseScoreText(scoreText.rows) };
}

/**
 * The chosen version of every cell as of `iso`, one text row per model. In a transaction with a larger
 * `work_mem` for it alone: the distinct-on sort runs over every version recorded by then (750,000
 * for 1,000 models x 150 benchmarks x 5 versions) and with the default 4 MB spills to disk.
 */
function scoresAtText(db: Database, iso: string, at: BoardAt) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '256MB'`);
    return tx.execute<{ model_id: number; t: string }>(sql`
      with bv as (
        select b.id, coalesce((select max(h.version) from benchmark_versions h
          where h.benchmark_id = b.id and h.created_at <= ${iso}::timestamptz), b.version) as version
        from benchmarks b
      ), cur as (
        select distinct on (v.model_id, v.benchmark_id, v.benchmark_version)
          v.model_id, v.benchmark_id, v.status, v.raw_value, v.ceiled_value
        from score_versions v
        join bv on bv.id = v.benchmark_id and bv.version = v.benchmark_version
        where v.recorded_at <= ${iso}::timestamptz
        order by ${currentVersionOrder(at.sourceOrder)}
      )
      select cur.model_id,
        string_agg(concat(cur.benchmark_id, ',', cur.status, ',', coalesce(cur.raw_value::text, ''), ',',
          coalesce(cur.ceiled_value::text, '')), ';') as t
      from cur join ${models} on ${models.id} = cur.model_id and ${models.visibility} = 'public'
      group by cur.model_id`);
  });
}

function parseScoreText(rows: readonly { model_id: number; t: string }[]): BoardScore[] {
  const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
  const scoreRows: BoardScore[] = [];
  for (const row of rows) {
    const modelId = Number(row.model_id);
    for (const item of row.t.split(';')) {
      const [b, status, raw, ceiled] = item.split(',');
      if (status === undefined || !STATUSES.has(status)) throw new Error(`unexpected score status ${status}`);
      scoreRows.push({
        modelId,
        benchmarkId: Number(b),
        status: status as ScoreStatus,
        rawValue: num(raw),
        ceiledValue: num(ceiled),
      });
    }
  }
  return scoreRows;
}

/**
 * The board's data version: a string that changes whenever anything the board shows changes (row
 * counts, largest ids and latest update times of scores and models; count, largest id and version
 * sum of benchmarks). Cheap (index-only aggregates), so a cached board can be checked often.
 */
export async function boardVersion(db: Database): Promise<string> {
  const r = await db.execute<{ v: string }>(sql`select concat_ws(':',
    (select count(*) from ${scores}), (select max(${scores.updatedAt})::text from ${scores}),
    (select max(${scores.id}) from ${scores}),
    (select count(*) from ${models}), (select max(${models.updatedAt})::text from ${models}),
    (select max(${models.id}) from ${models}),
    (select count(*) from ${benchmarks}), (select max(${benchmarks.id}) from ${benchmarks}),
    (select sum(${benchmarks.version}) from ${benchmarks})) as v`);
  return r.rows[0]?.v ?? '';
}
