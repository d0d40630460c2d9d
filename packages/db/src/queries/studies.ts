/** Studies: definitions stored by content with a version per name, their plan, progress and result. */
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { evaluationJobs, models, runs, studies, studyJobs } from '../tables/index.ts';
import { JOB_STATES, type JobRow, type JobState, queueInstalled } from './queue.ts';

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

/**
 * A stored study with its definition, plan, state and result: by id (a number), or by name (the
 * latest version, or a given one).
 */
export async function getStudy(
  db: Database,
  idOrName: number | string,
  version?: number,
): Promise<Study | undefined> {
  const where =
    typeof idOrName === 'number'
      ? eq(studies.id, idOrName)
      : version === undefined
        ? eq(studies.name, idOrName)
        : and(eq(studies.name, idOrName), eq(studies.version, version));
  const [row] = await db.select().from(studies).where(where).orderBy(desc(studies.version)).limit(1);
  return row;
}

/** Every stored study version, by name, newest version first (`latestOnly`: one row per name). */
export async function listStudies(db: Database, opts: { latestOnly?: boolean } = {}): Promise<Study[]> {
  const rows = await db.select().from(studies).orderBy(studies.name, desc(studies.version));
  if (!opts.latestOnly) return rows;
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.name) && seen.add(r.name));
}

/** Links evaluation jobs to the study that enqueued them (idempotent). */
export async function linkStudyJobs(db: Database, studyId: number, jobIds: readonly number[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .insert(studyJobs)
    .values(jobIds.map((jobId) => ({ studyId, jobId })))
    .onConflictDoNothing();
}

/** The evaluation jobs of a study (with the model's identifier), in the order they were created. */
export async function listStudyJobs(db: Database, studyId: number): Promise<JobRow[]> {
  const rows = await db
    .select({ job: evaluationJobs, model: models.identifier })
    .from(studyJobs)
    .innerJoin(evaluationJobs, eq(evaluationJobs.id, studyJobs.jobId))
    .innerJoin(models, eq(models.id, evaluationJobs.modelId))
    .where(eq(studyJobs.studyId, studyId))
    .orderBy(evaluationJobs.id);
  return rows.map((r) => ({ ...r.job, model: r.model }));
}

/** The latest study (`name@version`) that enqueued a job, for the run's provenance. */
export async function studyOfJob(db: Database, jobId: number): Promise<string | null> {
  const [row] = await db
    .select({ name: studies.name, version: studies.version })
    .from(studyJobs)
    .innerJoin(studies, eq(studies.id, studyJobs.studyId))
    .where(eq(studyJobs.jobId, jobId))
    .orderBy(desc(studyJobs.createdAt), desc(studies.id))
    .limit(1);
  return row ? `${row.name}@${row.version}` : null;
}

/** A study's progress over its jobs: overall, per model, and what is running now. */
export type StudyProgress = {
  jobs: number;
  states: Record<JobState, number>;
  /** Share of the work done: the mean over jobs of their progress (an ended job counts 1). */
  fraction: number;
  /** No job is queued or running. */
  settled: boolean;
  models: { model: string; jobs: number; succeeded: number; failed: number; fraction: number }[];
  running: {
    jobId: number;
    model: string;
    benchmark: string;
    stage: string | null;
    fraction: number;
    etaSeconds: number | null;
  }[];
};

const jobFraction = (j: Pick<JobRow, 'state' | 'progress'>) =>
  j.state === 'queued' || j.state === 'running' ? Math.min(1, Math.max(0, j.progress?.fraction ?? 0)) : 1;

/** Progress of a set of jobs (a study's). */
export function summarizeJobs(jobs: readonly JobRow[]): StudyProgress {
  const states = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  const perModel = new Map<string, StudyProgress['models'][number]>();
  let sum = 0;
  for (const j of jobs) {
    states[j.state as JobState] = (states[j.state as JobState] ?? 0) + 1;
    const f = jobFraction(j);
    sum += f;
    const m = perModel.get(j.model) ?? { model: j.model, jobs: 0, succeeded: 0, failed: 0, fraction: 0 };
    m.jobs += 1;
    m.fraction += f;
    if (j.state === 'succeeded') m.succeeded += 1;
    if (j.state === 'failed' || j.state === 'cancelled') m.failed += 1;
    perModel.set(j.model, m);
  }
  return {
    jobs: jobs.length,
    states,
    fraction: jobs.length === 0 ? 1 : sum / jobs.length,
    settled: states.queued === 0 && states.running === 0,
    models: [...perModel.values()].map((m) => ({ ...m, fraction: m.fraction / m.jobs })),
    running: jobs
      .filter((j) => j.state === 'running')
      .map((j) => ({
        jobId: j.id,
        model: j.model,
        benchmark: j.benchmark,
        stage: j.progress?.stage ?? null,
        fraction: jobFraction(j),
        etaSeconds: j.progress?.etaSeconds ?? null,
      })),
  };
}

/**
 * The study's progress now, from its jobs: per work (model, benchmark, configuration) the latest job
 * linked to it, so a job replaced by a newer one for the same work (the model's file registered
 * again) no longer counts.
 */
export async function studyProgress(db: Database, studyId: number): Promise<StudyProgress> {
  const latest = new Map<string, JobRow>();
  for (const j of await listStudyJobs(db, studyId)) {
    const k = `${j.model}\u0000${j.benchmark}\u0000${canonicalJson(j.configuration)}`;
    const seen = latest.get(k);
    if (!seen || seen.id < j.id) latest.set(k, j);
  }
  return summarizeJobs([...latest.values()].sort((a, b) => a.id - b.id));
}

/** The queue task that plans a stored study and enqueues its jobs (apps/evaluator worker). */
export const STUDY_RUN_TASK = 'study:run';

/**
 * Asks the evaluator workers to run a stored study (the API's runStudy): marks it requested and adds
 * a queue task that plans it against the current scores and enqueues the missing ones. False when no
 * worker has installed the queue yet.
 */
export async function requestStudyRun(db: Database, studyId: number): Promise<boolean> {
  if (!(await queueInstalled(db))) return false;
  await db.transaction(async (tx) => {
    await tx
      .update(studies)
      .set({ status: 'requested', error: null, updatedAt: new Date() })
      .where(eq(studies.id, studyId));
    await tx.execute(sql`select graphile_worker.add_job(${STUDY_RUN_TASK}, json_build_object('studyId', ${studyId}::int),
      job_key => ${`study-run-${studyId}`}, max_attempts => 1)`);
  });
  return true;
}

/** The ids of the studies that enqueued a job. */
export async function studyIdsOfJob(db: Database, jobId: number): Promise<number[]> {
  const rows = await db
    .select({ id: studyJobs.studyId })
    .from(studyJobs)
    .where(eq(studyJobs.jobId, jobId))
    .orderBy(studyJobs.studyId);
  return rows.map((r) => r.id);
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
 * the model's score): the latest succeeded one per model, benchmark and limit, with the uncertainty
 * interval the run computed for it (null when it has none).
 */
export async function partialRunValues(
  db: Database,
  modelIds: readonly number[],
): Promise<
  {
    modelId: number;
    benchmark: string;
    limit: number;
    value: number | null;
    interval: { low: number; high: number; method: string | null } | null;
    runId: number;
  }[]
> {
  if (modelIds.length === 0) return [];
  const r = await db.execute<{
    model_id: number;
    benchmark: string;
    limit: string;
    value: string | null;
    ci_low: string | null;
    ci_high: string | null;
    ci_method: string | null;
    id: number;
  }>(sql`
    select distinct on (r.model_id, r.configuration->>'benchmark', r.configuration->>'limit')
      r.model_id, r.configuration->>'benchmark' as benchmark, r.configuration->>'limit' as "limit",
      coalesce(r.artifacts->'partialScore'->>'ceiled', r.artifacts->'partialScore'->>'raw') as value,
      r.artifacts->'partialScore'->'interval'->>'low' as ci_low,
      r.artifacts->'partialScore'->'interval'->>'high' as ci_high,
      r.artifacts->'partialScore'->'interval'->>'method' as ci_method, r.id
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
    interval:
      x.ci_low === null || x.ci_high === null
        ? null
        : { low: Number(x.ci_low), high: Number(x.ci_high), method: x.ci_method },
    runId: Number(x.id),
  }));
}
