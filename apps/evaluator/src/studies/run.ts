/**
 * Running a study: validate and plan (cohort, benchmarks, which scores are current and reused, what
 * must run, a time estimate from measured per-image costs), execute what is missing through a
 * `StudyExecutor`, then compute and store the result. Every check happens before anything is run or
 * registered, so bad input is one clear error and changes nothing.
 *
 * The executor (`queueExecutor`) puts the missing scores on the durable evaluation queue as jobs
 * linked to the study (id and version), waits for them with progress read from the jobs, and an
 * embedded worker runs them when the caller asks for one. Every score is written as its job ends, so
 * an interrupted study continues where it stopped: finished scores are current on the next plan and
 * an unfinished job is joined again and resumes from its checkpoint.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type CorrelateInput,
  correlate,
  predictRobustness,
  type StudyFailure,
  type StudyResult,
} from '@alignscope/analysis';
import { parseRobustnessIdentifier } from '@alignscope/benchmarks';
import type { Database } from '@alignscope/db';
import {
  cellIntervals,
  enqueueJobs,
  failedTasks,
  getAssembly,
  getStudy,
  type InProcessFailure,
  listBenchmarks,
  listModels,
  listStudyJobs,
  type Model,
  measuredImageCosts,
  partialRunValues,
  resolveModel,
  type Study,
  type StudyProgress,
  saveStudyDefinition,
  scoresForReuse,
  studyIdsOfJob,
  studyProgress,
  studyTaskProgress,
  summarizeJobs,
  updateStudy,
  upsertModel,
} from '@alignscope/db/queries';
import { scoreTable } from '../analysis/score-table.ts';
import { benchmarkPlugins } from '../benchmarks/registry.ts';
import type { BenchmarkPlugin, EvalModel } from '../benchmarks/types.ts';
import { InputError } from '../errors.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import { labelSpaceName, loadCard, type ModelCard, numClasses } from '../models/card.ts';
import type { LoadedModel } from '../models/session.ts';
import { checkModelFile, modelRow, storeModel } from '../models/store.ts';
import { startWorker } from '../worker/index.ts';
import { robustnessBenchmark, type StudyDefinition, studySchema } from './definition.ts';

export type CohortModel = {
  /** The identifier it has (or will have, for a bundle model registered on the first run). */
  identifier: string;
  labelSpace: string | null;
  /** A bundle model not registered yet: its files. */
  register?: { onnx: string; card: string };
  row?: Model;
  card?: ModelCard;
};

export type TaskState = 'current' | 'missing' | 'unavailable';

export type PlannedScore = {
  model: string;
  benchmark: string;
  kind: 'alignment' | 'robustness';
  state: TaskState;
  /** The image limit the score is (to be) computed with; null: the full image set. */
  limit: number | null;
  /** Why an unavailable score cannot be computed here. */
  reason?: string;
  estimateMs?: number | null;
};

export type StudyPlan = {
  study: string;
  cohort: string[];
  benchmarks: string[];
  robustness: string[];
  scores: PlannedScore[];
  counts: Record<TaskState, number>;
  /** Sum of the estimates of the missing scores; null when some benchmark was never measured. */
  estimateMs: number | null;
  unmeasured: string[];
};

export type StudyTask = { model: string; benchmarks: string[]; limit: number | null; study: string };

/**
 * The progress of a study's run: its queued jobs (StudyProgress) and the evaluations run in process
 * (`failed`: the in-process scores that failed, with the error; a job keeps its own).
 */
export type StudyRunProgress = StudyProgress & {
  inProcess: { done: number; total: number; current: string | null; failed: InProcessFailure[] };
};

/** Thrown when a study's run was interrupted (Ctrl-C): finished scores are kept, a re-run continues. */
export class StudyInterrupted extends Error {
  override name = 'StudyInterrupted';
}

/**
 * Runs a study's missing scores and resolves when every one has ended, failed ones included (their
 * errors stay with their jobs, or with the progress for in-process evaluations); throws
 * StudyInterrupted when aborted.
 */
export interface StudyExecutor {
  execute(
    db: Database,
    run: {
      study: Study;
      tasks: StudyTask[];
      signal?: AbortSignal;
      onProgress?: (p: StudyRunProgress) => void;
    },
  ): Promise<void>;
}

/**
 * The order in which a study's jobs run, cheapest first, so that every model's alignment scores come
 * before the first long attack: alignment and engineering benchmarks 100; AutoAttack round(eps x 2550)
 * capped at 99 (8/255: 80, 1/255: 10, 0.5/255: 5, 0.001: 3), since the points that stay robust cost
 * the most and fewer stay robust at a larger eps. Higher runs first.
 */
export function studyJobPriority(benchmark: string): number {
  const aa = parseRobustnessIdentifier(benchmark);
  if (!aa) return 100;
  return Math.min(99, Math.max(0, Math.round(aa.eps * 2550)));
}

export type QueueExecutorOptions = {
  dataDir: string;
  /**
   * Start an evaluator worker in this process on this database (as `npm start` does) while the study
   * waits; null: rely on the workers already running (`alignscope worker`, `npm start`).
   */
  embeddedWorker: { connectionString: string; log?: (line: string) => void } | null;
  /** How often the jobs' state is read (default 1 s). */
  pollMs?: number;
  /**
   * false: enqueue the jobs (and run the in-process evaluations), then return without waiting; the
   * worker that ends the study's last job computes its result (completeStudy). Default true.
   */
  wait?: boolean;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

/**
 * The study executor: every missing score whose benchmark a queued job can carry becomes a job on
 * the durable evaluation queue (one per model, benchmark and image limit; a job that exists is joined,
 * so an interrupted study's jobs continue from their checkpoints), linked to the study. Benchmarks a
 * job cannot carry (neural ones, whose assembly is chosen at evaluation) are evaluated in this
 * process. Progress is read back from the jobs and stored with the study.
 */
export function queueExecutor(opts: QueueExecutorOptions): StudyExecutor {
  return {
    async execute(db, { study, tasks, signal, onProgress }) {
      const plugins = await benchmarkPlugins();
      const queued = (b: string) => plugins.get(b)?.queueable !== false;
      const tag = `${study.name}@${study.version}`;
      const jobIds: number[] = [];
      for (const t of tasks) {
        const benchmarks = t.benchmarks.filter(queued);
        if (benchmarks.length === 0) continue;
        const model = await resolveModel(db, t.model);
        if (!model) throw new InputError(`study ${tag}: model ${t.model} is not registered`);
        const spec = (b: string) => ({
          benchmark: b,
          benchmarkVersion: plugins.get(b)?.version ?? 1,
          configuration: t.limit === null ? {} : { limit: t.limit },
          priority: studyJobPriority(b),
        });
        const jobs = await enqueueJobs(db, {
          modelId: model.id,
          studyId: study.id,
          jobs: benchmarks.map(spec),
        });
        // A job that succeeded although the plan found no current score (the score was replaced or
        // removed since): run it again.
        const stale = jobs.filter((j) => j.outcome === 'current').map((j) => j.job.benchmark);
        const again =
          stale.length > 0
            ? await enqueueJobs(db, {
                modelId: model.id,
                studyId: study.id,
                jobs: stale.map(spec),
                force: true,
              })
            : [];
        for (const j of [...jobs.filter((x) => x.outcome !== 'current'), ...again]) jobIds.push(j.job.id);
      }
      const local = tasks
        .map((t) => ({ ...t, benchmarks: t.benchmarks.filter((b) => !queued(b)) }))
        .filter((t) => t.benchmarks.length > 0);
      const inProcess: StudyRunProgress['inProcess'] = {
        done: 0,
        total: local.length,
        current: null,
        failed: [],
      };

      const worker =
        opts.embeddedWorker && jobIds.length > 0 && opts.wait !== false
          ? await startWorker({
              connectionString: opts.embeddedWorker.connectionString,
              pollIntervalMs: 500,
              quietQueue: true,
              log: opts.embeddedWorker.log ?? (() => {}),
            })
          : undefined;
      try {
        let localError: unknown = null;
        const localRun = (async () => {
          for (const t of local) {
            if (signal?.aborted) return;
            inProcess.current = `${t.model}: ${t.benchmarks.join(', ')}`;
            // A score that fails is recorded (with its error) and the others go on: the study ends
            // with a result over the scores that succeeded.
            let failed: { benchmark: string; error: string }[];
            try {
              const records = await evaluate(
                {
                  model: t.model,
                  benchmarks: t.benchmarks,
                  dataDir: opts.dataDir,
                  ...(t.limit === null ? {} : { limit: t.limit }),
                  study: tag,
                  ...(signal ? { signal } : {}),
                },
                db,
              );
              failed = records
                .filter((r) => r.status === 'failed')
                .map((r) => ({ benchmark: r.benchmark, error: r.message ?? 'unknown error' }));
            } catch (e) {
              failed = t.benchmarks.map((b) => ({ benchmark: b, error: (e as Error).message }));
            }
            if (signal?.aborted) return;
            for (const f of failed) inProcess.failed.push({ model: t.model, limit: t.limit, ...f });
            inProcess.done++;
          }
          inProcess.current = null;
        })().catch((e) => {
          localError = e;
        });
        let localDone = false;
        void localRun.then(() => {
          localDone = true;
        });
        if (opts.wait === false) {
          await localRun;
          if (localError) throw localError;
          await updateStudy(db, study.id, {
            progress: { ...(await studyProgress(db, study.id)), inProcess: { ...inProcess } },
          });
          return;
        }
        const ids = new Set(jobIds);
        for (;;) {
          // Read before the progress is copied, so the copy holds every in-process failure.
          const localEnded = localDone;
          const jobs = (await listStudyJobs(db, study.id)).filter((j) => ids.has(j.id));
          const progress: StudyRunProgress = { ...summarizeJobs(jobs), inProcess: { ...inProcess } };
          await updateStudy(db, study.id, { progress });
          onProgress?.(progress);
          if (signal?.aborted) throw new StudyInterrupted(`study ${tag} interrupted`);
          if (localError) throw localError;
          // Failed jobs keep their error; runStudy lists them with the result (studyTaskProgress).
          if (progress.settled && localEnded) return;
          await sleep(opts.pollMs ?? 1000, signal);
        }
      } finally {
        // A stopping worker releases its running job with its checkpoint (no attempt used).
        await worker?.stop();
      }
    },
  };
}

const bundleFiles = (dataDir: string, name: string) => ({
  onnx: path.join(dataDir, 'models', `${name}.onnx`),
  card: path.join(dataDir, 'models', `${name}.json`),
});

/** A stand-in for a loaded session, enough for the plugins' label-space checks (never run). */
function checkModel(m: CohortModel): EvalModel {
  if (!m.card) return { identifier: m.identifier };
  const onnx = { file: '', card: m.card, numClasses: numClasses(m.card) } as unknown as LoadedModel;
  return { identifier: m.identifier, card: m.card, onnx };
}

async function resolveCohort(db: Database, def: StudyDefinition, dataDir: string): Promise<CohortModel[]> {
  const out = new Map<string, CohortModel>();
  const add = (m: CohortModel) => {
    if (!out.has(m.identifier)) out.set(m.identifier, m);
  };
  const fromRow = (row: Model): CohortModel => {
    const card = (row.card ?? undefined) as ModelCard | undefined;
    return {
      identifier: row.identifier,
      labelSpace: card ? labelSpaceName(card) : null,
      row,
      ...(card ? { card } : {}),
    };
  };
  for (const name of def.cohort.bundleModels) {
    const row = await resolveModel(db, name);
    if (row) {
      add(fromRow(row));
      continue;
    }
    const files = bundleFiles(dataDir, name);
    if (!existsSync(files.onnx) || !existsSync(files.card)) {
      throw new InputError(`cohort: bundle model "${name}" is not in ${path.join(dataDir, 'models')}`);
    }
    const card = loadCard(files.card);
    add({ identifier: card.name, labelSpace: labelSpaceName(card), card, register: files });
  }
  for (const name of def.cohort.models) {
    const row = await resolveModel(db, name);
    if (!row) throw new InputError(`cohort: unknown model "${name}" (not an identifier or alias)`);
    add(fromRow(row));
  }
  if (def.cohort.filters.length > 0) {
    const dataset = { imagenet: 'imagenet-1k', cifar10: 'cifar-10' } as Record<string, string>;
    for (const row of await listModels(db)) {
      const m = fromRow(row);
      const ok = def.cohort.filters.every((f) => {
        const [k, v = ''] = f.split(':');
        const want = v.toLowerCase();
        if (k === 'family') return (row.family ?? '').toLowerCase() === want;
        if (k === 'regime') return (row.trainingRegime ?? '').toLowerCase() === want;
        return m.labelSpace === (dataset[want] ?? want);
      });
      if (ok) add(m);
    }
  }
  if (out.size === 0) throw new InputError(`study ${def.name}: the cohort is empty (no model matches)`);
  return [...out.values()];
}

/** Validates the definition against the database and the benchmark registry and plans the work. */
export async function planStudy(
  db: Database,
  def: StudyDefinition,
  opts: { dataDir: string; limit?: number; tag: string },
): Promise<{ plan: StudyPlan; cohort: CohortModel[] }> {
  const cohort = await resolveCohort(db, def, opts.dataDir);
  const plugins = await benchmarkPlugins();
  const tree = await listBenchmarks(db);
  const byId = new Map(tree.map((b) => [b.id, b]));
  const children = new Map<string, string[]>();
  for (const b of tree) {
    const parent = b.parentId === null ? null : byId.get(b.parentId)?.identifier;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), b.identifier]);
  }
  const leavesUnder = (id: string): string[] => {
    const kids = children.get(id);
    return kids ? kids.flatMap(leavesUnder) : [id];
  };
  const known = new Set([...tree.map((b) => b.identifier), ...plugins.keys()]);
  const explicit = new Set<string>();
  const alignment: string[] = [];
  for (const b of def.benchmarks) {
    if (!known.has(b)) throw new InputError(`study ${def.name}: unknown benchmark "${b}"`);
    const leaves = children.has(b) ? leavesUnder(b) : [b];
    if (!children.has(b)) explicit.add(b);
    for (const l of leaves) if (!alignment.includes(l)) alignment.push(l);
  }
  const robustness: { id: string; dataset: string; limit: number | null }[] = [];
  for (const s of def.robustness) {
    for (const eps of s.eps) {
      const id = robustnessBenchmark(s, eps);
      if (!plugins.has(id)) throw new InputError(`study ${def.name}: unknown robustness benchmark "${id}"`);
      robustness.push({
        id,
        dataset: s.dataset === 'imagenet' ? 'imagenet-1k' : 'cifar-10',
        limit: s.images.size ?? null,
      });
    }
  }
  for (const c of [def.analysis.covariate, ...def.analysis.aggregates].filter((x): x is string => !!x)) {
    if (!known.has(c)) throw new InputError(`study ${def.name}: unknown benchmark "${c}" in the analysis`);
  }
  // Neural benchmarks score a model on the assembly registered under their data name (as `evaluate`
  // finds it). Without it (or without the region) a score that would have to be run is unavailable
  // under a tree node, and a plan-time error for a benchmark the study names itself.
  const assemblyMissing = new Map<string, string>();
  for (const b of alignment) {
    const name = plugins.get(b)?.assemblyName;
    if (!name) continue;
    const row = await getAssembly(db, name);
    const region = b.slice(name.length + 1, b.lastIndexOf('-'));
    const why = !row
      ? `no assembly registered as "${name}" (alignscope assemblies add <file> --identifier ${name})`
      : row.regions.length === 0 || row.regions.includes(region)
        ? null // without a region coordinate every neuroid is scored, as `evaluate` does
        : `the assembly registered as "${name}" has no ${region} neuroids (regions: ${row.regions.join(', ')})`;
    if (why) assemblyMissing.set(b, why);
  }
  // Label spaces: every explicit benchmark must fit every cohort model that can be run.
  for (const m of cohort) {
    const em = checkModel(m);
    for (const b of explicit) {
      const p = plugins.get(b);
      const why = p && m.card ? p.unsupported(em) : null;
      if (why) {
        throw new InputError(
          `study ${def.name}: model ${m.identifier} (${m.labelSpace}) does not fit benchmark ${b}: ${why}`,
        );
      }
    }
    if (m.labelSpace && !robustness.some((r) => r.dataset === m.labelSpace)) {
      throw new InputError(
        `study ${def.name}: model ${m.identifier} (${m.labelSpace}) fits none of the robustness settings (${[...new Set(robustness.map((r) => r.dataset))].join(', ')})`,
      );
    }
  }
  const cap = (l: number | null) =>
    opts.limit === undefined ? l : l === null ? opts.limit : Math.min(l, opts.limit);
  const ids = cohort.map((m) => m.row?.id).filter((x): x is number => x !== undefined);
  const existing = await scoresForReuse(db, ids);
  const partial = await partialRunValues(db, ids);
  const costs = await measuredImageCosts(db);
  const scores: PlannedScore[] = [];
  const unmeasured = new Set<string>();
  let estimate = 0;
  const plan1 = (
    m: CohortModel,
    b: string,
    kind: PlannedScore['kind'],
    p: BenchmarkPlugin | undefined,
    limit: number | null,
  ) => {
    // Current: a stored scored value for the full image set (imports and full runs), or, for a limited
    // number of images, a succeeded --limit run with the same limit (those keep their value with the
    // run, never as the model's score).
    const s = m.row ? existing.find((e) => e.modelId === m.row?.id && e.benchmark === b) : undefined;
    const part = m.row
      ? partial.find((e) => e.modelId === m.row?.id && e.benchmark === b && e.limit === limit)
      : undefined;
    if (limit === null ? s?.status === 'scored' && s.limit === null : part?.value != null) {
      scores.push({ model: m.identifier, benchmark: b, kind, state: 'current', limit });
      return;
    }
    const noAssembly = p && m.card ? assemblyMissing.get(b) : undefined;
    if (noAssembly && explicit.has(b))
      throw new InputError(`study ${def.name}: benchmark ${b}: ${noAssembly}`);
    const why = !p
      ? 'no evaluator plugin (scores come from imports)'
      : !m.card
        ? 'no ONNX model to run'
        : (noAssembly ?? p.unsupported(checkModel(m)));
    if (why) {
      scores.push({ model: m.identifier, benchmark: b, kind, state: 'unavailable', limit, reason: why });
      return;
    }
    const cost = costs.get(b);
    // Measured wall time per image of earlier runs of this benchmark, times the images to run (the
    // limit, or as many as the largest earlier run used).
    const est = cost ? cost.msPerImage * (limit ?? cost.images) : null;
    if (est === null) unmeasured.add(b);
    else estimate += est;
    scores.push({ model: m.identifier, benchmark: b, kind, state: 'missing', limit, estimateMs: est });
  };
  for (const m of cohort) {
    for (const b of alignment) plan1(m, b, 'alignment', plugins.get(b), cap(null));
    for (const r of robustness)
      if (r.dataset === m.labelSpace) plan1(m, r.id, 'robustness', plugins.get(r.id), cap(r.limit));
  }
  // A limit below what a benchmark needs (minLimit) is refused here, with the smallest one this study
  // accepts, rather than failing those scores after hours of the others.
  const tooSmall = new Map<string, { images: number; why: string; limit: number }>();
  for (const s of scores) {
    if (s.state !== 'missing' || s.limit === null || tooSmall.has(s.benchmark)) continue;
    const min = plugins.get(s.benchmark)?.minLimit?.(opts.dataDir);
    if (min && s.limit < min.images) tooSmall.set(s.benchmark, { ...min, limit: s.limit });
  }
  if (tooSmall.size > 0) {
    const need = Math.max(...[...tooSmall.values()].map((m) => m.images));
    const limits = [...new Set([...tooSmall.values()].map((m) => m.limit))].join(', ');
    throw new InputError(
      `study ${def.name}: a limit of ${limits} images is too small: ${[...tooSmall]
        .map(([b, m]) => `${b} needs at least ${m.images} (${m.why})`)
        .join('; ')}; the smallest limit this study accepts is ${need} (--limit ${need})`,
    );
  }
  const counts = { current: 0, missing: 0, unavailable: 0 };
  for (const s of scores) counts[s.state]++;
  return {
    cohort,
    plan: {
      study: opts.tag,
      cohort: cohort.map((m) => m.identifier),
      benchmarks: alignment,
      robustness: robustness.map((r) => r.id),
      scores,
      counts,
      estimateMs: unmeasured.size > 0 ? null : estimate,
      unmeasured: [...unmeasured].sort(),
    },
  };
}

export type { StudyFailure, StudyResult };

type StoredInterval = { low: number; high: number; method: string | null };

/**
 * The intervals of the analysed values (StudyResult's `intervals` and `intervalMethods`): a stored
 * interval is kept only when there is a value and the interval contains it, as a score's interval must
 * (one of another scale, e.g. of a ceiled value above 1 where the board clips it, would not be this
 * value's); a column keeps its entry when some value has one.
 */
export function valueIntervals(
  values: Record<string, (number | null)[]>,
  stored: Record<string, (StoredInterval | null)[]>,
): Pick<StudyResult, 'intervals' | 'intervalMethods'> {
  const intervals: StudyResult['intervals'] = {};
  const intervalMethods: StudyResult['intervalMethods'] = {};
  // Rounding slack for a value at a bound (a Clopper-Pearson interval of 0 of n starts at 0 exactly).
  const slack = 1e-9;
  for (const [column, col] of Object.entries(values)) {
    const methods = new Set<string>();
    const kept = col.map((v, i) => {
      const iv = stored[column]?.[i];
      if (v === null || !iv || !(iv.low - slack <= v && v <= iv.high + slack)) return null;
      methods.add(iv.method ?? 'method not recorded');
      return [iv.low, iv.high] as [number, number];
    });
    if (methods.size === 0) continue;
    intervals[column] = kept;
    intervalMethods[column] = [...methods].sort();
  }
  return { intervals, intervalMethods };
}

/** The study's analysis over the cohort's current scores (aggregated as the board does it). */
export async function computeStudyResult(
  db: Database,
  def: StudyDefinition,
  plan: StudyPlan,
  failures: StudyFailure[] = [],
): Promise<StudyResult> {
  const table = await scoreTable(db, { missing: def.analysis.missing });
  const rowOf = new Map(table.models.map((m, i) => [m, i]));
  const columns = [
    ...new Set([
      ...plan.benchmarks,
      ...plan.robustness,
      ...def.analysis.aggregates,
      ...(def.analysis.covariate ? [def.analysis.covariate] : []),
    ]),
  ];
  // Every cohort model, with its stored (aggregated) values, and for benchmarks planned on a limited
  // number of images, the value of its latest --limit run with that limit.
  const input: CorrelateInput = {
    models: [...plan.cohort],
    columns: Object.fromEntries(
      columns.map((c) => [
        c,
        plan.cohort.map((m) => {
          const i = rowOf.get(m);
          return i === undefined ? null : (table.columns[c]?.[i] ?? null);
        }),
      ]),
    ),
  };
  // The interval stored with each value: the current score's (the cell the board read), or for a
  // limited cell its --limit run's; the board's aggregated tree nodes have none.
  const idOf = new Map((await listModels(db)).map((m) => [m.identifier, m.id]));
  const benchmarkIdOf = new Map((await listBenchmarks(db)).map((b) => [b.identifier, b.id]));
  const cells = await cellIntervals(db, {
    benchmarkIds: columns.map((c) => benchmarkIdOf.get(c)).filter((x): x is number => x !== undefined),
  });
  const cellOf = new Map(cells.map((c) => [`${c.modelId} ${c.benchmarkId}`, c]));
  const storedIntervals: Record<string, (StoredInterval | null)[]> = Object.fromEntries(
    columns.map((c) => [
      c,
      plan.cohort.map((m) => {
        const cell = cellOf.get(`${idOf.get(m)} ${benchmarkIdOf.get(c)}`);
        return cell && cell.ciLow !== null && cell.ciHigh !== null
          ? { low: cell.ciLow, high: cell.ciHigh, method: cell.ciMethod }
          : null;
      }),
    ]),
  );
  const limited = plan.scores.filter((x) => x.limit !== null);
  if (limited.length > 0) {
    const parts = await partialRunValues(
      db,
      plan.cohort.map((m) => idOf.get(m)).filter((x): x is number => x !== undefined),
    );
    for (const x of limited) {
      const v = parts.find(
        (p) => p.modelId === idOf.get(x.model) && p.benchmark === x.benchmark && p.limit === x.limit,
      );
      const col = input.columns[x.benchmark];
      if (col) col[plan.cohort.indexOf(x.model)] = v?.value ?? null;
      const iv = storedIntervals[x.benchmark];
      if (iv) iv[plan.cohort.indexOf(x.model)] = v?.interval ?? null;
    }
  }
  const correlations: StudyResult['correlations'] = [];
  const aggregates: StudyResult['aggregates'] = [];
  const predictor: StudyResult['predictor'] = [];
  for (const target of plan.robustness) {
    const cols = Object.fromEntries(
      Object.entries(input.columns).filter(([k]) => k === target || !plan.robustness.includes(k)),
    );
    const rows = correlate(
      { models: input.models, columns: cols },
      {
        target,
        method: def.analysis.method,
        minN: def.analysis.minN,
        ...(def.analysis.covariate && def.analysis.covariate !== target
          ? { covariate: def.analysis.covariate }
          : {}),
      },
    );
    correlations.push({ target, rows });
    for (const a of def.analysis.aggregates) {
      const r = rows.find((x) => x.benchmark === a);
      if (r) aggregates.push({ target, benchmark: a, n: r.n, r2: r.r2, f: r.fStatistic, fP: r.fPValue });
    }
    const features = (
      def.analysis.predictor.features === 'benchmarks' ? plan.benchmarks : def.analysis.predictor.features
    ).filter((f) => {
      const v = cols[f]?.filter((x) => x !== null) ?? [];
      return v.length >= def.analysis.minN && v.some((x) => x !== v[0]);
    });
    if (features.length > 0) {
      predictor.push({
        target,
        features,
        targetValues: cols[target] ?? [],
        result: predictRobustness(
          { models: input.models, columns: cols },
          { target, features, folds: def.analysis.predictor.folds, lambda: def.analysis.predictor.lambda },
        ),
      });
    }
  }
  return {
    study: plan.study,
    computedAt: new Date().toISOString(),
    models: input.models,
    values: input.columns,
    ...valueIntervals(input.columns, storedIntervals),
    correlations,
    aggregates,
    predictor,
    provenance: {
      definition: def.name,
      missingConvention: def.analysis.missing,
      method: def.analysis.method,
      covariate: def.analysis.covariate ?? null,
      minN: def.analysis.minN,
      scoresReused: plan.counts.current,
      scoresUnavailable: plan.counts.unavailable,
      scoresFailed: failures.length,
      bootstrap: { resamples: 1000, seed: 0, level: 0.95 },
      predictor: def.analysis.predictor,
    },
    failures,
  };
}

export type RunEvents = {
  /** The plan; `study` is null in a dry run (nothing stored). */
  onPlan?(plan: StudyPlan, study: Study | null): void;
  onProgress?(p: StudyRunProgress): void;
};

/**
 * `study run`: store the definition (versioned), plan, and unless `dryRun` register missing bundle
 * models, run the missing scores model by model, then compute and store the result.
 */
export async function runStudy(
  db: Database,
  def: StudyDefinition,
  opts: {
    dataDir: string;
    limit?: number;
    dryRun?: boolean;
    /** Runs the missing scores (queueExecutor); not needed for a dry run. */
    executor?: StudyExecutor;
    /** Aborted: stop waiting, give running jobs back (checkpoints kept), mark the study interrupted. */
    signal?: AbortSignal;
    /**
     * The executor only enqueues (queueExecutor with wait: false): return with the study running; the
     * worker that ends its last job computes the result (at once when nothing had to run).
     */
    detach?: boolean;
    events?: RunEvents;
  },
): Promise<{
  study: Study | null;
  plan: StudyPlan;
  result: StudyResult | null;
  /** Planned scores that failed: the result covers the others (state done_with_failures). */
  failures: StudyFailure[];
}> {
  // Validate and plan before anything is written; the definition is stored (versioned) only then.
  const { plan, cohort } = await planStudy(db, def, {
    dataDir: opts.dataDir,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    tag: `${def.name} (dry run)`,
  });
  if (opts.dryRun) {
    opts.events?.onPlan?.(plan, null);
    return { study: null, plan, result: null, failures: [] };
  }
  const executor = opts.executor;
  if (!executor) throw new Error('runStudy: running a study needs an executor (queueExecutor)');
  const { study } = await saveStudyDefinition(db, def.name, def);
  const tag = `${study.name}@${study.version}`;
  plan.study = tag;
  opts.events?.onPlan?.(plan, study);
  await updateStudy(db, study.id, { status: 'running', plan, error: null, progress: null });
  const perModel = new Map<string, { benchmarks: string[]; limit: number | null }[]>();
  for (const s of plan.scores.filter((x) => x.state === 'missing')) {
    const groups = perModel.get(s.model) ?? [];
    const g = groups.find((x) => x.limit === s.limit);
    if (g) g.benchmarks.push(s.benchmark);
    else groups.push({ benchmarks: [s.benchmark], limit: s.limit });
    perModel.set(s.model, groups);
  }
  const tasks = [...perModel.entries()].flatMap(([model, groups]) =>
    groups.map((g) => ({ model, ...g, study: tag })),
  );
  try {
    for (const m of cohort) {
      if (m.register && tasks.some((t) => t.model === m.identifier)) await registerBundleModel(db, m);
    }
    if (tasks.length > 0) {
      await executor.execute(db, {
        study,
        tasks,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.events?.onProgress ? { onProgress: opts.events.onProgress } : {}),
      });
    }
    if (opts.detach) {
      const done = await completeStudy(db, study.id, { force: true });
      return {
        study: done ?? study,
        plan,
        result: (done?.result ?? null) as StudyResult | null,
        failures: ((done?.result as StudyResult | null)?.failures ?? []) as StudyFailure[],
      };
    }
    const done = await finishStudy(db, study.id, def, plan);
    return { study: done.study, plan, result: done.result, failures: done.failures };
  } catch (e) {
    const interrupted = e instanceof StudyInterrupted;
    await updateStudy(db, study.id, {
      status: interrupted ? 'interrupted' : 'failed',
      error: interrupted ? null : (e as Error).message,
    });
    throw e;
  }
}

/** One line naming a study's failed scores (the first few), for `studies.error` and the CLI. */
export function failureSummary(failures: readonly StudyFailure[]): string {
  const shown = failures
    .slice(0, 3)
    .map((f) => `${f.model} ${f.benchmark}${f.error ? ` (${f.error})` : ` (${f.state})`}`);
  return `${failures.length} planned score(s) failed and are left out of the result: ${shown.join('; ')}${failures.length > 3 ? '; ...' : ''}`;
}

/**
 * Computes and stores the result of a study whose work has ended, over the scores that succeeded.
 * The planned scores that failed or were cancelled (studyTaskProgress: each one's last job, or its
 * in-process evaluation) are listed with the result; the state is then `done_with_failures`, else
 * `computed`. Running the study again retries exactly those (and whatever else is missing).
 */
async function finishStudy(
  db: Database,
  studyId: number,
  def: StudyDefinition,
  plan: StudyPlan,
  progress?: StudyProgress,
): Promise<{ study: Study; result: StudyResult; failures: StudyFailure[] }> {
  const study = await getStudy(db, studyId);
  if (!study) throw new Error(`study ${studyId} vanished`);
  const failures = failedTasks(await studyTaskProgress(db, study));
  const result = await computeStudyResult(db, def, plan, failures);
  await updateStudy(db, studyId, {
    status: failures.length > 0 ? 'done_with_failures' : 'computed',
    result,
    error: failures.length > 0 ? failureSummary(failures) : null,
    ...(progress ? { progress } : {}),
  });
  return { study: (await getStudy(db, studyId)) ?? study, result, failures };
}

/**
 * Computes and stores a running study's result once every planned score has ended (the worker calls
 * it when a job ends; a detached run when it has enqueued). While a study's in-process evaluations
 * (neural benchmarks) are not all done, a job's end does not complete it (`force`: the run that did them).
 * Returns the updated study when it was completed (computed, or done_with_failures when some failed).
 */
export async function completeStudy(
  db: Database,
  studyId: number,
  opts: { force?: boolean } = {},
): Promise<Study | null> {
  const study = await getStudy(db, studyId);
  if (study?.status !== 'running' || !study.plan) return null;
  const plan = study.plan as StudyPlan;
  if (!opts.force) {
    // In-process evaluations not yet done (the run stores their count with its progress).
    const plugins = await benchmarkPlugins();
    const local = plan.scores.some(
      (x) => x.state === 'missing' && plugins.get(x.benchmark)?.queueable === false,
    );
    const inProcess = (study.progress as Partial<StudyRunProgress> | null)?.inProcess;
    if (local && (!inProcess || inProcess.done < inProcess.total)) return null;
  }
  // Every planned score has ended: its job (the latest for that work) or its in-process evaluation.
  // Jobs of earlier runs that this plan does not use (another image limit, a replaced model file)
  // do not hold the study open or fail it.
  const view = await studyTaskProgress(db, study);
  if (view.tasks.some((t) => t.state === 'pending' || t.state === 'queued' || t.state === 'running'))
    return null;
  const parsed = studySchema.safeParse(study.definition);
  if (!parsed.success) throw new Error(`study ${study.name}@${study.version}: stored definition is invalid`);
  const inProcess = (study.progress as Partial<StudyRunProgress> | null)?.inProcess;
  const progress = { ...(await studyProgress(db, studyId)), ...(inProcess ? { inProcess } : {}) };
  return (await finishStudy(db, studyId, parsed.data, plan, progress)).study;
}

/** After a job ends: completes the studies that were waiting for it (see completeStudy). */
export async function completeStudiesOfJob(db: Database, jobId: number): Promise<void> {
  for (const id of await studyIdsOfJob(db, jobId)) await completeStudy(db, id);
}

async function registerBundleModel(db: Database, m: CohortModel): Promise<void> {
  if (!m.register || !m.card) return;
  const checked = await checkModelFile(m.register.onnx, m.card, {});
  const stored = await storeModel(db, m.register.onnx, checked);
  await upsertModel(db, modelRow(m.card, { sha256: checked.sha256, bytes: checked.bytes, path: stored }));
}
