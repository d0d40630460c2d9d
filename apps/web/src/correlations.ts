import 'server-only';
import {
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
  type FeatureChoice,
  type NoisyBootstrapResult,
  noisyBootstrap,
  type PredictResult,
  predictRobustness,
  selectFeatures,
} from '@alignscope/analysis';
import type { Board, BoardCorrelationRow, TreeNode } from '@alignscope/board';
import type { Intervals } from './intervals.ts';
import type { Missing, Params } from './view-state.ts';

/**
 * The correlation explorer's view of the board: its URL state and the few shapes its charts need. The
 * numbers themselves come from the board (packages/board), the code the GraphQL API's `correlations`
 * and `scatter` run, so the explorer and the API agree for one data version.
 */

/** Robustness benchmarks (the leaves of the robustness domain), the targets of every correlation. */
export function robustnessTargets(board: Board): TreeNode[] {
  return board.robustnessTargets();
}

/**
 * Candidate predictors of `target`: every node except the target and its related nodes (ancestors,
 * sibling robustness benchmarks), aggregates included.
 */
export function predictorNodes(board: Board, target: string): TreeNode[] {
  const related = board.related(target);
  return board.nodes.filter((n) => n.identifier !== target && !related.has(n.identifier));
}

export type ExplorerState = {
  target: string;
  method: CorrelationMethod;
  covariate: string;
  minN: number;
  missing: Missing;
  /** Show the target's ancestors and sibling robustness benchmarks too, marked (`related=1`). */
  related: boolean;
};

const METHODS: CorrelationMethod[] = ['spearman', 'pearson', 'kendall'];

function one(p: Params, key: string): string | undefined {
  const v = p[key];
  return Array.isArray(v) ? v[0] : v;
}

export function parseExplorerState(p: Params, board: Board): ExplorerState {
  const targets = robustnessTargets(board);
  const targetParam = one(p, 'target');
  const target = targets.some((t) => t.identifier === targetParam)
    ? (targetParam as string)
    : (board.defaultTarget() ?? '');
  const method = one(p, 'method');
  const minN = Number(one(p, 'minN'));
  const covariate = one(p, 'covariate') ?? '';
  return {
    target,
    method: METHODS.includes(method as CorrelationMethod) ? (method as CorrelationMethod) : 'spearman',
    covariate: board.node.has(covariate) && covariate !== target ? covariate : '',
    minN: Number.isInteger(minN) && minN >= 3 && minN <= 100000 ? minN : 8,
    // The API's default: an aggregate averages the children that have a value.
    missing: one(p, 'missing') === 'zero' ? 'zero' : 'skip',
    related: one(p, 'related') === '1',
  };
}

/** The board's correlation arguments of an explorer state. */
function correlationArgs(s: ExplorerState, bootstrap: boolean) {
  return {
    target: s.target,
    method: s.method,
    covariate: s.covariate || null,
    minN: s.minN,
    missing: s.missing,
    bootstrap: bootstrap ? 1000 : 0,
    includeRelated: s.related,
  };
}

/**
 * Every predictor against `target` (the API's defaults: bootstrap of 1,000 resamples, seed 0, 95 %),
 * and with `related` the target's related nodes after them, marked. Computed by the board's worker
 * threads (or taken from the board when already there), never on the thread answering requests.
 */
export function correlationsFor(
  board: Board,
  s: ExplorerState,
  opts: { bootstrap?: boolean } = {},
): Promise<BoardCorrelationRow[]> {
  return board.correlationsAsync(correlationArgs(s, opts.bootstrap ?? true));
}

/** Paired values of two nodes (models with both), for scatter plots, with the scores' intervals when given. */
export function pairs(
  board: Board,
  missing: Missing,
  x: string,
  y: string,
  intervals: Intervals = new Map(),
) {
  const xId = board.node.get(x)?.id ?? -1;
  const yId = board.node.get(y)?.id ?? -1;
  return board.pairs(x, y, missing).map((p) => ({
    x: p.x,
    y: p.y,
    model: p.model.displayName,
    xCi: intervals.get(p.modelId)?.get(xId) ?? null,
    yCi: intervals.get(p.modelId)?.get(yId) ?? null,
  }));
}

export const METHOD_SYMBOL: Record<CorrelationMethod, string> = {
  spearman: 'Spearman ρ',
  pearson: 'Pearson r',
  kendall: 'Kendall τ-b',
};

/** Coefficient and OLS fit of y on x alone (no bootstrap), for the scatter of any pair. */
export function pairStats(board: Board, s: ExplorerState, x: string, y: string): CorrelationRow | undefined {
  if (x === y) return undefined;
  return board.memo(
    `pair:${s.method}:${s.minN}:${s.missing}:${x}:${y}`,
    () =>
      correlate(
        {
          models: board.models.map((m) => m.identifier),
          columns: { [x]: board.column(x, s.missing), [y]: board.column(y, s.missing) },
        },
        { target: y, method: s.method, minN: s.minN, bootstrap: false },
      )[0],
  );
}

/** One robustness target's row on the benchmark page: the coefficient, p, q and n of the pair. */
export type TargetRow = { target: TreeNode; row: BoardCorrelationRow | undefined };

/** The 95 % bootstrap interval of the pair (benchmark, target), by target identifier. */
export type TargetIntervals = Map<string, { low: number | null; high: number | null }>;

/**
 * One benchmark against every robustness target (Spearman, the explorer's defaults), for the benchmark
 * page, computed off the request thread in two parts:
 * - `rows`: coefficients, p, q and n from the board's correlation tables without bootstrap (the
 *   `tables` worker has the defaults ahead when missing children are skipped);
 * - `intervals`: the interval of each pair (percentileBootstrap, seed 0, 1,000 resamples: the interval
 *   that row has in the table with the bootstrap, without resampling every other column) from the
 *   board's `intervals` worker (Board.pairIntervalsAsync), memoised on the board, so per data version.
 * The page paints the rows and streams the intervals in, as the explorer does.
 */
export function benchmarkVsTargets(
  board: Board,
  benchmark: string,
  missing: Missing,
): { rows: Promise<TargetRow[]>; intervals: Promise<TargetIntervals> } {
  const targets = robustnessTargets(board);
  const rows = Promise.all(
    targets.map(async (target): Promise<TargetRow> => {
      const table = await board.correlationsAsync({
        target: target.identifier,
        method: 'spearman',
        covariate: null,
        minN: 8,
        missing,
        bootstrap: 0,
        includeRelated: false,
      });
      return { target, row: table.find((r) => r.benchmark === benchmark) };
    }),
  );
  const withValues = targets
    .map((t) => t.identifier)
    .filter((t) => t !== benchmark && board.column(t, missing).some((v) => v !== null));
  const intervals = board
    .pairIntervalsAsync({ benchmark, targets: withValues, method: 'spearman', missing, resamples: 1000 })
    .then((list) => new Map(list.map((iv) => [iv.target, { low: iv.low, high: iv.high }])));
  return { rows, intervals };
}

export type BoardPredictor = {
  /** Leaf benchmarks that may be features: the target's candidate predictors outside robustness. */
  candidates: TreeNode[];
  /** The features used (`selectFeatures`: at least minN values among the models with a target, not constant) and those left out, with the reason. */
  choice: FeatureChoice;
  /** Predictions in the order of `models`. */
  models: string[];
  /** Null when no feature is kept, or when not asked to run. */
  result: PredictResult | null;
};

/** Up to this many models with a target value the explorer computes the predictor by itself. */
export const PREDICTOR_AUTO_MAX = 60;

/**
 * Leave-one-out up to 60 models with a target value; beyond, 10 folds (seed 0). Measured: 10 folds on
 * 1,000 models x 150 features take 8.3 s (tsx, this 2-core machine), so beyond 60 models the explorer
 * computes the predictor only on request (`predict=1`).
 */
export function predictorFolds(target: readonly (number | null)[]): 'loo' | number {
  return target.filter((v) => v !== null).length <= PREDICTOR_AUTO_MAX ? 'loo' : 10;
}

/**
 * The cross-validated robustness predictor (`predictRobustness`: ridge on ranks; folds: predictorFolds)
 * of the explorer's target over the board's models, from the `chosen` leaves (every candidate leaf when
 * none is chosen), of which `selectFeatures` keeps those with enough varying values, as
 * `alignscope predict` does. `result` is null when none is kept or `run` is false.
 */
export function boardPredictor(
  board: Board,
  s: ExplorerState,
  chosen: readonly string[],
  opts: { run: boolean },
): BoardPredictor {
  const candidates = predictorNodes(board, s.target).filter(
    (n) => n.children.length === 0 && n.domain !== 'robustness',
  );
  const ok = new Set(candidates.map((c) => c.identifier));
  const picked = [...new Set(chosen.filter((f) => ok.has(f)))];
  const names = picked.length > 0 ? picked : candidates.map((c) => c.identifier);
  const models = board.models.map((m) => m.identifier);
  const input = {
    models,
    columns: Object.fromEntries([s.target, ...names].map((c) => [c, board.column(c, s.missing)])),
  };
  const choice = selectFeatures(input, s.target, names, s.minN);
  const features = choice.selected;
  const result =
    features.length === 0 || !opts.run
      ? null
      : board.memo(`predict:${s.missing}:${s.minN}:${s.target}:${features.join('\u0000')}`, () =>
          predictRobustness(input, {
            target: s.target,
            features,
            folds: predictorFolds(input.columns[s.target] ?? []),
            lambda: 0.1,
          }),
        );
  return { candidates, choice, models, result };
}

/**
 * The pair's noisy-input bootstrap (analysis' noisyBootstrap, 1,000 resamples, seed 0, 95 %): the
 * models resampled and each leaf score redrawn within its interval; aggregates and scores without an
 * interval keep their values. Null when neither node has an interval on any model (nothing to add to
 * the bootstrap over models).
 */
export function noisyPair(
  board: Board,
  s: ExplorerState,
  x: string,
  y: string,
  intervals: Intervals,
): (NoisyBootstrapResult & { withIntervals: number }) | null {
  const xId = board.node.get(x)?.id;
  const yId = board.node.get(y)?.id;
  if (x === y || xId === undefined || yId === undefined) return null;
  const bounds = (id: number) => {
    const low: (number | null)[] = [];
    const high: (number | null)[] = [];
    for (const m of board.models) {
      const iv = intervals.get(m.id)?.get(id);
      low.push(iv ? iv[0] : null);
      high.push(iv ? iv[1] : null);
    }
    return { low, high };
  };
  const xi = bounds(xId);
  const yi = bounds(yId);
  const xs = board.column(x, s.missing);
  const ys = board.column(y, s.missing);
  const withIntervals = board.models.filter(
    (_, i) => xs[i] != null && ys[i] != null && (xi.low[i] != null || yi.low[i] != null),
  ).length;
  if (withIntervals === 0) return null;
  return board.memo(`noisy:${s.method}:${s.missing}:${x}:${y}`, () => ({
    ...noisyBootstrap(xs, ys, xi, yi, s.method, { resamples: 1000, seed: 0 }),
    withIntervals,
  }));
}
