/**
 * Read-only views of studies for the web dashboard: the list with cohort size and progress, one study
 * by id, the state of every planned score (from the study's plan, the runs that name the study in
 * `runs.configuration.study`, and the evaluation jobs of the same work), and the stored scores of the
 * cohort with their uncertainty intervals.
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { studies } from '../tables/index.ts';
import type { Study } from './studies.ts';

/** A planned score as the study runner stores it in `studies.plan.scores`. */
type PlannedScore = {
  model: string;
  benchmark: string;
  kind: 'alignment' | 'robustness';
  state: 'current' | 'missing' | 'unavailable';
  limit: number | null;
  reason?: string;
};

/** An in-process evaluation that failed, as the study runner stores it in `studies.progress.inProcess.failed`. */
export type InProcessFailure = { model: string; benchmark: string; limit: number | null; error: string };

/** The parts of `studies.plan` the views read. */
export type StoredStudyPlan = {
  study: string;
  cohort: string[];
  benchmarks: string[];
  robustness: string[];
  scores: PlannedScore[];
  estimateMs: number | null;
};

/** Where one planned score stands. `reused`: current before the study ran (nothing to compute). */
export type StudyTaskState =
  | 'reused'
  | 'unavailable'
  | 'pending'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

export type StudyTaskView = {
  model: string;
  benchmark: string;
  kind: 'alignment' | 'robustness';
  limit: number | null;
  state: StudyTaskState;
  /** Running work: share done (0..1) and the stage reported by the job. */
  fraction: number | null;
  stage: string | null;
  reason: string | null;
  /** A failed or cancelled score: the job's (or the in-process evaluation's) last error. */
  error: string | null;
};

export type StudyProgressCount = {
  /** Scores the study needs that can be computed here (reused ones included). */
  total: number;
  /** Reused or succeeded. */
  done: number;
  running: number;
  failed: number;
  unavailable: number;
};

export type StudyProgressView = {
  tasks: StudyTaskView[];
  overall: StudyProgressCount;
  byStage: ({ stage: 'alignment' | 'robustness' } & StudyProgressCount)[];
  byModel: ({ model: string } & StudyProgressCount)[];
};

export type StudySummary = {
  id: number;
  name: string;
  version: number;
  title: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  /** Models in the planned cohort, or in the definition's explicit lists before a plan exists. */
  cohortSize: number | null;
  /** Scores done of those needed, from the plan (null before a plan). */
  progress: { done: number; total: number } | null;
};

/** The study's plan, when it has one (null for a study only defined). */
export function studyPlan(study: Study): StoredStudyPlan | null {
  const p = study.plan as Partial<StoredStudyPlan> | null;
  return p && Array.isArray(p.scores) && Array.isArray(p.cohort) ? (p as StoredStudyPlan) : null;
}

function definitionCohortSize(definition: unknown): number | null {
  const c = (definition as { cohort?: { models?: unknown[]; bundleModels?: unknown[]; filters?: unknown[] } })
    ?.cohort;
  if (!c) return null;
  // A filter's models are known only once planned.
  if ((c.filters?.length ?? 0) > 0) return null;
  return (c.models?.length ?? 0) + (c.bundleModels?.length ?? 0);
}

export async function getStudyById(db: Database, id: number): Promise<Study | undefined> {
  const [row] = await db.select().from(studies).where(eq(studies.id, id));
  return row;
}

/**
 * Every stored study (newest version of a name first), with cohort size and, unless `progress` is
 * false (two queries per study), progress.
 */
export async function listStudySummaries(
  db: Database,
  opts: { progress?: boolean } = {},
): Promise<StudySummary[]> {
  const rows = await db.select().from(studies).orderBy(studies.name, desc(studies.version));
  const out: StudySummary[] = [];
  for (const s of rows) {
    const plan = studyPlan(s);
    const progress = plan && opts.progress !== false ? (await studyTaskProgress(db, s)).overall : null;
    out.push({
      id: s.id,
      name: s.name,
      version: s.version,
      title: (s.definition as { title?: string } | null)?.title ?? null,
      status: s.status,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      cohortSize: plan ? plan.cohort.length : definitionCohortSize(s.definition),
      progress: progress ? { done: progress.done, total: progress.total } : null,
    });
  }
  return out;
}

const key = (model: string, benchmark: string, limit: number | null) =>
  `${model}\u0000${benchmark}\u0000${limit ?? ''}`;

function count(tasks: readonly StudyTaskView[]): StudyProgressCount {
  const c: StudyProgressCount = { total: 0, done: 0, running: 0, failed: 0, unavailable: 0 };
  for (const t of tasks) {
    if (t.state === 'unavailable') {
      c.unavailable++;
      continue;
    }
    c.total++;
    if (t.state === 'reused' || t.state === 'succeeded') c.done++;
    else if (t.state === 'running') c.running++;
    else if (t.state === 'failed' || t.state === 'cancelled') c.failed++;
  }
  return c;
}

/**
 * Where every planned score of the study stands. A score current at planning time is `reused`; one to
 * compute takes the state of the latest run that names this study (`name@version`) for that model and
 * benchmark, else of the latest evaluation job for the same model, benchmark and image limit (a job is
 * keyed by the work, so its state is the work's state), else `pending`.
 */
export async function studyTaskProgress(db: Database, study: Study): Promise<StudyProgressView> {
  const plan = studyPlan(study);
  if (!plan) return { tasks: [], overall: count([]), byStage: [], byModel: [] };
  const tag = `${study.name}@${study.version}`;
  const runRows = await db.execute<{
    model: string;
    benchmark: string;
    status: string;
    error: string | null;
  }>(sql`
    select distinct on (m.identifier, r.configuration->>'benchmark')
      m.identifier as model, r.configuration->>'benchmark' as benchmark, r.status, r.error
    from runs r join models m on m.id = r.model_id
    where r.configuration->>'study' = ${tag}
    order by m.identifier, r.configuration->>'benchmark', r.id desc`);
  const runState = new Map(runRows.rows.map((r) => [`${r.model}\u0000${r.benchmark}`, r]));
  // In-process evaluations (benchmarks a job cannot carry) that failed before they made a run.
  const inProcessFailed = new Map(
    ((study.progress as { inProcess?: { failed?: InProcessFailure[] } } | null)?.inProcess?.failed ?? []).map(
      (f) => [key(f.model, f.benchmark, f.limit), f.error],
    ),
  );
  const models = [...new Set(plan.scores.filter((s) => s.state === 'missing').map((s) => s.model))];
  const jobState = new Map<
    string,
    { state: string; fraction: number | null; stage: string | null; error: string | null }
  >();
  if (models.length > 0) {
    const jobRows = await db.execute<{
      model: string;
      benchmark: string;
      limit: string | null;
      state: string;
      fraction: number | null;
      stage: string | null;
      error: string | null;
    }>(sql`
      select distinct on (m.identifier, j.benchmark, j.configuration->>'limit')
        m.identifier as model, j.benchmark, j.configuration->>'limit' as "limit", j.state,
        (j.progress->>'fraction')::float8 as fraction, j.progress->>'stage' as stage, j.error
      from evaluation_jobs j join models m on m.id = j.model_id
      where m.identifier in (${sql.join(
        models.map((m) => sql`${m}`),
        sql`, `,
      )})
      order by m.identifier, j.benchmark, j.configuration->>'limit', j.updated_at desc, j.id desc`);
    for (const j of jobRows.rows) {
      jobState.set(key(j.model, j.benchmark, j.limit === null ? null : Number(j.limit)), {
        state: j.state,
        fraction: j.fraction === null ? null : Number(j.fraction),
        stage: j.stage,
        error: j.error,
      });
    }
  }
  const tasks: StudyTaskView[] = plan.scores.map((s) => {
    const base = { model: s.model, benchmark: s.benchmark, kind: s.kind, limit: s.limit ?? null };
    const none = { fraction: null, stage: null, reason: null, error: null };
    if (s.state === 'current') return { ...base, ...none, state: 'reused' };
    if (s.state === 'unavailable')
      return { ...base, ...none, state: 'unavailable', reason: s.reason ?? null };
    // The job is the authority on queued work (a failed attempt's run says failed while the job
    // retries); a run that names the study stands for work done in process, which has no job.
    const job = jobState.get(key(s.model, s.benchmark, s.limit ?? null));
    const run = runState.get(`${s.model}\u0000${s.benchmark}`);
    const localError = inProcessFailed.get(key(s.model, s.benchmark, s.limit ?? null));
    if (job && ['queued', 'running', 'succeeded', 'failed', 'cancelled'].includes(job.state)) {
      const state = job.state as StudyTaskState;
      return {
        ...base,
        ...none,
        state,
        fraction: state === 'running' ? job.fraction : null,
        stage: state === 'running' ? job.stage : null,
        error: state === 'failed' || state === 'cancelled' ? (job.error ?? state) : null,
      };
    }
    if (run && ['succeeded', 'failed', 'running'].includes(run.status)) {
      const state = run.status as StudyTaskState;
      return {
        ...base,
        ...none,
        state,
        error: state === 'failed' ? (run.error ?? localError ?? 'failed') : null,
      };
    }
    if (localError !== undefined) return { ...base, ...none, state: 'failed', error: localError };
    return { ...base, ...none, state: 'pending' };
  });
  return {
    tasks,
    overall: count(tasks),
    byStage: (['alignment', 'robustness'] as const).map((stage) => ({
      stage,
      ...count(tasks.filter((t) => t.kind === stage)),
    })),
    byModel: plan.cohort.map((model) => ({ model, ...count(tasks.filter((t) => t.model === model)) })),
  };
}

/** A planned score that failed or was cancelled (the last state of its job or in-process evaluation). */
export type StudyTaskFailure = {
  model: string;
  benchmark: string;
  limit: number | null;
  state: 'failed' | 'cancelled';
  error: string | null;
};

/** The study's planned scores that failed or were cancelled, with the error of each (studyTaskProgress). */
export function failedTasks(progress: StudyProgressView): StudyTaskFailure[] {
  return progress.tasks
    .filter((t) => t.state === 'failed' || t.state === 'cancelled')
    .map((t) => ({
      model: t.model,
      benchmark: t.benchmark,
      limit: t.limit,
      state: t.state as 'failed' | 'cancelled',
      error: t.error,
    }));
}

export type CohortScore = {
  model: string;
  benchmark: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
};

/**
 * The stored scores of some models on some benchmarks, with the uncertainty interval each carries
 * (ceiled value when ceiled, else raw, as the interval is stored).
 */
export async function cohortScores(
  db: Database,
  models: readonly string[],
  benchmarks: readonly string[],
): Promise<CohortScore[]> {
  if (models.length === 0 || benchmarks.length === 0) return [];
  const list = (xs: readonly string[]) =>
    sql.join(
      xs.map((x) => sql`${x}`),
      sql`, `,
    );
  const r = await db.execute<{
    model: string;
    benchmark: string;
    value: number | null;
    ci_low: number | null;
    ci_high: number | null;
  }>(sql`
    select m.identifier as model, b.identifier as benchmark,
      coalesce(s.ceiled_value, s.raw_value) as value, s.ci_low, s.ci_high
    from scores s
    join models m on m.id = s.model_id
    join benchmarks b on b.id = s.benchmark_id and b.version = s.benchmark_version
    where s.status = 'scored' and m.identifier in (${list(models)}) and b.identifier in (${list(benchmarks)})`);
  return r.rows.map((x) => ({
    model: x.model,
    benchmark: x.benchmark,
    value: x.value === null ? null : Number(x.value),
    ciLow: x.ci_low === null ? null : Number(x.ci_low),
    ciHigh: x.ci_high === null ? null : Number(x.ci_high),
  }));
}
