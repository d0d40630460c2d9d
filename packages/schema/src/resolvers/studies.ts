import {
  PREDICT_DEFAULTS,
  predictRobustness,
  type StoredStudyResult,
  type StudyColumnRole,
  selectFeatures,
  studyColumns,
} from '@alignscope/analysis';
import { isRobustnessNode } from '@alignscope/board';
import {
  failedTasks,
  getStudy,
  listStudies,
  listStudyJobs,
  requestStudyRun,
  resolveModel,
  type Study,
  studyPlan,
  studyProgress,
  studyTaskProgress,
} from '@alignscope/db/queries';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { pageSize } from '../pagination.ts';
import type { UserErrorParent } from '../types.ts';
import { missingIn } from './enums.ts';
import { visible } from './jobs.ts';
import { authenticate } from './submissions.ts';

const MAX_FEATURES = 100;
const MAX_COHORT = 2000;
/** Work of one predictRobustness call: folds x (n p^2 + p^3) multiply-adds of the ridge solves. */
const MAX_PREDICT_WORK = 4e8;
/** Identifiers a `StudyResult.columns(benchmarks:)` filter may name. */
const MAX_COLUMN_FILTER = 100;
/** The largest `offset` of a study result's columns and cells. */
const MAX_OFFSET = 100_000;
const ROLE = {
  target: 'TARGET',
  benchmark: 'BENCHMARK',
  aggregate: 'AGGREGATE',
  covariate: 'COVARIATE',
} as const satisfies Record<StudyColumnRole, string>;

function parseId(id: string): number | null {
  return /^\d{1,9}$/.test(id) ? Number(id) : null;
}

function intIn(v: number | null | undefined, fallback: number, lo: number, hi: number, name: string) {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < lo || n > hi) throw badInput(`${name} must be ${lo} to ${hi}`, name);
  return n;
}

const definitionOf = (s: Study) =>
  s.definition as {
    title?: string;
    description?: string;
    reference?: string;
    cohort?: { models?: string[]; bundleModels?: string[]; filters?: string[] };
  };

/** The models a stored study runs: its last plan's cohort, else the definition's named models. */
function cohortOf(s: Study): { names: string[]; filtered: boolean } {
  const plan = s.plan as { cohort?: string[] } | null;
  if (plan?.cohort) return { names: plan.cohort, filtered: false };
  const c = definitionOf(s).cohort ?? {};
  return {
    names: [...(c.models ?? []), ...(c.bundleModels ?? [])],
    filtered: (c.filters ?? []).length > 0,
  };
}

export const studyResolvers: Resolvers = {
  Query: {
    async studies(_, args, ctx) {
      const first = intIn(args.first, 50, 1, 100, 'first');
      const rows = await listStudies(ctx.db, { latestOnly: args.latestOnly ?? true });
      return rows.slice(0, first);
    },
    async study(_, args, ctx) {
      const id = parseId(args.id);
      return id === null ? null : ((await getStudy(ctx.db, id)) ?? null);
    },
    async predictRobustness(_, args, ctx) {
      const board = await ctx.board();
      const missing = missingIn(args.missing, 'skip');
      const target = args.target;
      if (!board.node.has(target))
        throw badInput(`unknown benchmark ${JSON.stringify(target.slice(0, 200))}`, 'target');
      const minN = intIn(args.minN, 8, 3, 100_000, 'minN');
      const folds = args.folds === null ? 'loo' : intIn(args.folds, PREDICT_DEFAULTS.folds, 2, 50, 'folds');
      const lambda = args.lambda ?? PREDICT_DEFAULTS.lambda;
      if (!(lambda > 0 && lambda <= 1000))
        throw badInput('lambda must be greater than 0 and at most 1000', 'lambda');
      const seed = intIn(args.seed, PREDICT_DEFAULTS.seed, 0, 2 ** 31 - 1, 'seed');
      let candidates: string[];
      if (args.benchmarks) {
        if (args.benchmarks.length === 0 || args.benchmarks.length > MAX_FEATURES)
          throw badInput(`benchmarks must list 1 to ${MAX_FEATURES} benchmarks`, 'benchmarks');
        for (const b of args.benchmarks) {
          if (!board.node.has(b))
            throw badInput(`unknown benchmark ${JSON.stringify(b.slice(0, 200))}`, 'benchmarks');
          if (b === target) throw badInput('benchmarks must not include the target', 'benchmarks');
        }
        candidates = [...new Set(args.benchmarks)];
      } else {
        // Every alignment leaf: not robustness, not the target's ancestor or sibling.
        const related = board.related(target);
        candidates = board.nodes
          .filter(
            (n) =>
              n.children.length === 0 &&
              n.identifier !== target &&
              !related.has(n.identifier) &&
              !isRobustnessNode(board.node, n),
          )
          .map((n) => n.identifier);
      }
      let modelIdx = board.models.map((_, i) => i);
      if (args.cohort) {
        if (args.cohort.length === 0 || args.cohort.length > MAX_COHORT)
          throw badInput(`cohort must list 1 to ${MAX_COHORT} models`, 'cohort');
        const at = new Map(board.models.map((m, i) => [m.identifier, i]));
        modelIdx = [...new Set(args.cohort)].map((id) => {
          const i = at.get(id);
          if (i === undefined)
            throw badInput(`unknown public model ${JSON.stringify(id.slice(0, 200))}`, 'cohort');
          return i;
        });
      }
      const columnOf = (b: string) => {
        const col = board.column(b, missing);
        return modelIdx.map((i) => col[i] ?? null);
      };
      const input = {
        models: modelIdx.map((i) => board.models[i]?.identifier ?? ''),
        columns: Object.fromEntries([target, ...candidates].map((b) => [b, columnOf(b)])),
      };
      const choice = selectFeatures(input, target, candidates, minN);
      if (choice.selected.length === 0) {
        throw badInput(
          `no usable feature: every candidate has fewer than ${minN} values among the models with a ${target} value, or is constant`,
          'benchmarks',
        );
      }
      const n = (input.columns[target] ?? []).filter((v) => v !== null).length;
      const p = choice.selected.length;
      const k = folds === 'loo' ? n : folds;
      if (k * (n * p * p + p ** 3) > MAX_PREDICT_WORK) {
        throw badInput(
          `too much work for one request (${k} folds x ${n} models x ${p} features): name fewer benchmarks or use fewer folds`,
          'benchmarks',
        );
      }
      const result = predictRobustness(input, { target, features: choice.selected, folds, lambda, seed });
      const y = input.columns[target] ?? [];
      return {
        target,
        selected: choice.selected,
        dropped: choice.dropped,
        n: result.n,
        folds: result.folds,
        heldOutRankingAccuracy: result.heldOutRankingAccuracy,
        heldOutSpearman: result.heldOutSpearman,
        weights: choice.selected.map((b) => ({ benchmark: b, weight: result.weights[b] ?? 0 })),
        predictions: input.models
          .map((model, i) => ({ model, target: y[i] ?? null, prediction: result.predictions[i] ?? null }))
          .filter(
            (x): x is { model: string; target: number | null; prediction: number } => x.prediction !== null,
          )
          .sort((a, b) => b.prediction - a.prediction || a.model.localeCompare(b.model)),
        reason: result.reason,
      };
    },
  },
  Mutation: {
    async runStudy(_, args, ctx) {
      const no = (code: UserErrorParent['code'], message: string, study: Study | null = null) => ({
        ok: false,
        study,
        errors: [{ code, message, path: ['id'] }],
      });
      const key = await authenticate(ctx);
      if (!key.ok) return { ok: false, study: null, errors: [key.error] };
      const id = parseId(args.id);
      const study = id === null ? undefined : await getStudy(ctx.db, id);
      if (!study) return no('UNKNOWN_STUDY', `unknown study ${JSON.stringify(args.id.slice(0, 100))}`);
      if (!key.isAdmin) {
        const { names, filtered } = cohortOf(study);
        const owned = await Promise.all(
          names.map(async (n) => (await resolveModel(ctx.db, n))?.ownerKeyId === key.id),
        );
        if (filtered || names.length === 0 || owned.some((o) => !o)) {
          return no(
            'FORBIDDEN',
            `study ${study.name}@${study.version} runs models this key does not own; only an admin key, or the key that owns every model of its cohort, may run it`,
            study,
          );
        }
      }
      if (study.status === 'running' || study.status === 'requested') {
        return no('INVALID_STATE', `study ${study.name}@${study.version} is already ${study.status}`, study);
      }
      if (!(await requestStudyRun(ctx.db, study.id))) {
        return no(
          'NOT_EVALUABLE',
          'no evaluator worker has started on this database yet (start `alignscope worker` or `npm start`)',
          study,
        );
      }
      return { ok: true, study: (await getStudy(ctx.db, study.id)) ?? study, errors: [] };
    },
  },
  Study: {
    id: (s) => String(s.id),
    title: (s) => definitionOf(s).title ?? s.name,
    description: (s) => definitionOf(s).description ?? '',
    reference: (s) => definitionOf(s).reference ?? null,
    plan: (s) => s.plan ?? null,
    async progress(s, _, ctx) {
      const p = await studyProgress(ctx.db, s.id);
      return {
        jobs: p.jobs,
        ...p.states,
        fraction: p.fraction,
        settled: p.settled,
        models: p.models,
        runningJobs: p.running.map((r) => ({ ...r, jobId: String(r.jobId) })),
      };
    },
    async failures(s, _, ctx) {
      return failedTasks(await studyTaskProgress(ctx.db, s));
    },
    async jobs(s, args, ctx) {
      const first = intIn(args.first, 200, 1, 1000, 'first');
      return visible(ctx, (await listStudyJobs(ctx.db, s.id)).slice(0, first));
    },
    result(s) {
      const stored = s.result as StoredStudyResult | null;
      return stored ? { stored, plannedBenchmarks: studyPlan(s)?.benchmarks } : null;
    },
  },
  StudyResult: {
    computedAt: ({ stored }) => stored.computedAt,
    models: ({ stored }) => stored.models,
    correlations: ({ stored }) =>
      stored.correlations.map((c) => ({
        target: c.target,
        rows: c.rows.map((x) => ({
          ...x,
          partialCoefficient: x.partialCoefficient ?? null,
          partialPValue: x.partialPValue ?? null,
        })),
      })),
    aggregates: ({ stored }) => stored.aggregates,
    predictor: ({ stored: r }) =>
      r.predictor.map((p) => ({
        target: p.target,
        features: p.features,
        n: p.result.n,
        folds: p.result.folds,
        heldOutRankingAccuracy: p.result.heldOutRankingAccuracy,
        heldOutSpearman: p.result.heldOutSpearman,
        predictions: r.models.flatMap((model, i) => {
          const prediction = p.result.predictions[i];
          return prediction === null || prediction === undefined
            ? []
            : [{ model, target: p.targetValues?.[i] ?? null, prediction }];
        }),
      })),
    provenance: ({ stored }) => stored.provenance,
    columns({ stored, plannedBenchmarks }, args) {
      const first = pageSize(args.first, 50);
      const offset = intIn(args.offset, 0, 0, MAX_OFFSET, 'offset');
      if (args.benchmarks && args.benchmarks.length > MAX_COLUMN_FILTER)
        throw badInput(`benchmarks must list at most ${MAX_COLUMN_FILTER} identifiers`, 'benchmarks');
      const columns = studyColumns(stored, plannedBenchmarks ? { benchmarks: plannedBenchmarks } : {});
      if (!columns) return null;
      const only = args.benchmarks ? new Set(args.benchmarks) : null;
      const roles = args.roles ? new Set(args.roles.map((r) => r.toLowerCase())) : null;
      return columns
        .filter((c) => (!only || only.has(c.benchmark)) && (!roles || c.roles.some((r) => roles.has(r))))
        .slice(offset, offset + first)
        .map((c) => ({ ...c, models: stored.models }));
    },
  },
  StudyColumn: {
    roles: (c) => c.roles.map((r) => ROLE[r]),
    n: (c) => c.values.filter((v) => v !== null).length,
    cells(c, args) {
      const first = pageSize(args.first, 100);
      const offset = intIn(args.offset, 0, 0, MAX_OFFSET, 'offset');
      return c.models.slice(offset, offset + first).map((model, k) => {
        const i = offset + k;
        const ci = c.intervals[i] ?? null;
        return { model, value: c.values[i] ?? null, ciLow: ci?.[0] ?? null, ciHigh: ci?.[1] ?? null };
      });
    },
  },
};
