import 'server-only';
import {
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
  percentileBootstrap,
} from '@alignscope/analysis';
import type { Board, BoardCorrelationRow, TreeNode } from '@alignscope/board';
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

/** The same table computed in line (for callers that cannot wait: a few targets on a small board). */
export function correlationsNow(
  board: Board,
  s: ExplorerState,
  opts: { bootstrap?: boolean } = {},
): BoardCorrelationRow[] {
  return board.correlations({
    target: s.target,
    method: s.method,
    covariate: s.covariate || null,
    minN: s.minN,
    missing: s.missing,
    bootstrap: (opts.bootstrap ?? true) ? 1000 : 0,
    includeRelated: s.related,
  });
}

/** Paired values of two nodes (models with both), for scatter plots. */
export function pairs(board: Board, missing: Missing, x: string, y: string) {
  return board.pairs(x, y, missing).map((p) => ({ x: p.x, y: p.y, model: p.model.displayName }));
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

/**
 * One benchmark against every robustness target (Spearman, the explorer's defaults). Coefficients, p
 * and q come from the board's correlation table without bootstrap (cheap, memoised); the interval of
 * this one pair from `percentileBootstrap` with the same seed (0) and resamples (1,000), which equals
 * the interval the table with bootstrap would give that row, so the numbers match the explorer and the
 * API without bootstrapping every column for every target.
 */
export function benchmarkVsTargets(
  board: Board,
  benchmark: string,
  missing: Missing,
): { target: TreeNode; row: CorrelationRow | undefined }[] {
  return robustnessTargets(board).map((target) => {
    const s: ExplorerState = {
      target: target.identifier,
      method: 'spearman',
      covariate: '',
      minN: 8,
      missing,
      related: false,
    };
    const found = correlationsNow(board, s, { bootstrap: false }).find((r) => r.benchmark === benchmark);
    if (!found || found.coefficient === null) return { target, row: found };
    const ci = board.memo(`ci:${missing}:${benchmark}:${target.identifier}`, () =>
      percentileBootstrap(
        board.column(benchmark, missing),
        board.column(target.identifier, missing),
        'spearman',
        {
          resamples: 1000,
          seed: 0,
        },
      ),
    );
    return { target, row: { ...found, ciLow: ci.low, ciHigh: ci.high } };
  });
}
