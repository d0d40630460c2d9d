/** Studies: definitions stored by content with a version per name, their plan, progress and result. */
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { runs, studies } from '../tables/index.ts';

export type Study = typeof studies.$inferSelect;

/** JSON with object keys sorted, so equal definitions hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The stored study with this definition: the existing row when the same definition was stored before,
 * else a new row whose version is one more than the name's latest.
 */
export async function saveStudyDefinition(
  db: Database,
  name: string,
  definition: unknown,
): Promise<{ study: Study; created: boolean }> {
  const sha = createHash('sha256').update(canonicalJson(definition)).digest('hex');
  return db.transaction(async (tx) => {
    // One writer per name at a time, so two runs cannot take the same version.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`study:${name}`}))`);
    const [same] = await tx
      .select()
      .from(studies)
      .where(and(eq(studies.name, name), eq(studies.definitionSha256, sha)));
    if (same) return { study: same, created: false };
    const [latest] = await tx
      .select({ version: studies.version })
      .from(studies)
      .where(eq(studies.name, name))
      .orderBy(desc(studies.version))
      .limit(1);
    const [row] = await tx
      .insert(studies)
      .values({ name, version: (latest?.version ?? 0) + 1, definitionSha256: sha, definition })
      .returning();
    if (!row) throw new Error(`study ${name} was not written`);
    return { study: row, created: true };
  });
}

export async function updateStudy(
  db: Database,
  id: number,
  patch: Partial<Pick<Study, 'status' | 'plan' | 'progress' | 'result' | 'error'>>,
): Promise<void> {
  await db
    .update(studies)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(studies.id, id));
}

/** The latest version of a study by name, or a given version. */
export async function getStudy(db: Database, name: string, version?: number): Promise<Study | undefined> {
  const [row] = await db
    .select()
    .from(studies)
    .where(
      version === undefined
        ? eq(studies.name, name)
        : and(eq(studies.name, name), eq(studies.version, version)),
    )
    .orderBy(desc(studies.version))
    .limit(1);
  return row;
}

export async function listStudies(db: Database): Promise<Study[]> {
  return db.select().from(studies).orderBy(studies.name, desc(studies.version));
}

/** Evaluation runs made for a study (`runs.configuration.study = name@version`). */
export async function studyRuns(
  db: Database,
  tag: string,
): Promise<{ id: number; status: string; benchmark: string | null; startedAt: Date }[]> {
  const rows = await db
    .select({
      id: runs.id,
      status: runs.status,
      benchmark: sql<string | null>`${runs.configuration}->>'benchmark'`,
      startedAt: runs.startedAt,
    })
    .from(runs)
    .where(sql`${runs.configuration}->>'study' = ${tag}`)
    .orderBy(runs.id);
  return rows;
}

/**
 * Per benchmark, the measured cost of earlier evaluation runs: mean wall milliseconds per image
 * (from runs whose timings and image count were recorded), for a study's time estimate.
 */
export async function measuredImageCosts(
  db: Database,
): Promise<Map<string, { msPerImage: number; images: number; runs: number }>> {
  const wall = sql`coalesce((${runs.timings}->>'totalMs')::float8, (${runs.timings}->>'wallMs')::float8)`;
  const images = sql`nullif((${runs.configuration}->>'imageCount')::float8, 0)`;
  const r = await db.execute<{ benchmark: string; ms: number | null; images: number; n: number }>(sql`
    select ${runs.configuration}->>'benchmark' as benchmark, avg(${wall} / ${images}) as ms,
      max(${images}) as images, count(*)::int as n
    from ${runs}
    where ${runs.kind} = 'evaluation' and ${runs.status} = 'succeeded' and ${images} is not null
    group by 1`);
  return new Map(
    r.rows
      .filter((x) => x.ms !== null)
      .map((x) => [x.benchmark, { msPerImage: Number(x.ms), images: Number(x.images), runs: Number(x.n) }]),
  );
}

/**
 * The current scores of some models with the run settings that matter for reuse: the `limit` the run
 * was made with (null: the full image set, or an import) and the number of images.
 */
export async function scoresForReuse(
  db: Database,
  modelIds: readonly number[],
): Promise<
  {
    modelId: number;
    benchmark: string;
    status: string;
    limit: number | null;
    imageCount: number | null;
    runId: number | null;
  }[]
> {
  if (modelIds.length === 0) return [];
  const r = await db.execute<{
    model_id: number;
    benchmark: string;
    status: string;
    limit: string | null;
    image_count: string | null;
    run_id: number | null;
  }>(sql`
    select s.model_id, b.identifier as benchmark, s.status::text as status,
      r.configuration->>'limit' as "limit", r.configuration->>'imageCount' as image_count, s.run_id
    from scores s
    join benchmarks b on b.id = s.benchmark_id and b.version = s.benchmark_version
    left join runs r on r.id = s.run_id
    where s.model_id in (${sql.join(
      modelIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return r.rows.map((x) => ({
    modelId: Number(x.model_id),
    benchmark: x.benchmark,
    status: x.status,
    limit: x.limit === null ? null : Number(x.limit),
    imageCount: x.image_count === null ? null : Number(x.image_count),
    runId: x.run_id === null ? null : Number(x.run_id),
  }));
}

/**
 * Values of `--limit` (partial) evaluation runs, which keep their value with the run only (never as
 * the model's score): the latest succeeded one per model, benchmark and limit.
 */
export async function partialRunValues(
  db: Database,
  modelIds: readonly number[],
): Promise<{ modelId: number; benchmark: string; limit: number; value: number | null; runId: number }[]> {
  if (modelIds.length === 0) return [];
  const r = await db.execute<{
    model_id: number;
    benchmark: string;
    limit: string;
    value: string | null;
    id: number;
  }>(sql`
    select distinct on (r.model_id, r.configuration->>'benchmark', r.configuration->>'limit')
      r.model_id, r.configuration->>'benchmark' as benchmark, r.configuration->>'limit' as "limit",
      coalesce(r.artifacts->'partialScore'->>'ceiled', r.artifacts->'partialScore'->>'raw') as value, r.id
    from runs r
    where r.kind = 'evaluation' and r.status = 'succeeded' and (r.artifacts->>'partial')::boolean
      and r.configuration ? 'limit' and r.model_id in (${sql.join(
        modelIds.map((id) => sql`${id}`),
        sql`, `,
      )})
    order by r.model_id, r.configuration->>'benchmark', r.configuration->>'limit', r.id desc`);
  return r.rows.map((x) => ({
    modelId: Number(x.model_id),
    benchmark: x.benchmark,
    limit: Number(x.limit),
    value: x.value === null ? null : Number(x.value),
    runId: Number(x.id),
  }));
}
