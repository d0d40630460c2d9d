import 'server-only';
import {
  type CorrelateInput,
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
  percentileBootstrap,
} from '@alignscope/analysis';
import type { Board, TreeNode } from './board.ts';
import type { Missing, Params } from './view-state.ts';

/** Robustness benchmarks (the leaves of the robustness domain), the targets of every correlation. */
export function robustnessTargets(board: Board): TreeNode[] {
  return board.nodes.filter((n) => n.domain === 'robustness' && n.children.length === 0);
}

/** Whether a node is robustness: a robustness leaf, or a group whose leaves are all robustness. */
export function isRobustnessNode(board: Board, n: TreeNode): boolean {
  if (n.children.length === 0) return n.domain === 'robustness';
  return n.children.every((c) => {
    const child = board.node.get(c);
    return child !== undefined && isRobustnessNode(board, child);
  });
}

/** Benchmarks correlated against a target: every alignment and engineering node, aggregates included. */
export function predictorNodes(board: Board): TreeNode[] {
  return board.nodes.filter((n) => !isRobustnessNode(board, n));
}

/**
 * The analysis input: one column per benchmark node, leaves and aggregates, that some public model
 * has a value for (the aggregated value of each model, null where it has none), plus the target and
 * covariate. The same columns as the GraphQL API's `correlations`, so the Benjamini-Hochberg family
 * (and the q-values) are the API's.
 */
export function correlationInput(board: Board, missing: Missing, keep: string[] = []): CorrelateInput {
  const values = board.values(missing);
  const models = board.models.map((m) => m.identifier);
  const columns: Record<string, (number | null)[]> = {};
  for (const n of board.nodes) {
    const col = models.map((m) => {
      const v = values.get(m)?.[n.identifier]?.value;
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    });
    if (keep.includes(n.identifier) || col.some((v) => v !== null)) columns[n.identifier] = col;
  }
  return { models, columns };
}

export type ExplorerState = {
  target: string;
  method: CorrelationMethod;
  covariate: string;
  minN: number;
  missing: Missing;
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
    : (defaultTarget(board) ?? '');
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
  };
}

/** The robustness benchmark with the most scored models (ties: catalog order). */
export function defaultTarget(board: Board): string | undefined {
  const values = board.values('skip');
  let best: { id: string; n: number } | undefined;
  for (const t of robustnessTargets(board)) {
    let n = 0;
    for (const rec of values.values()) if (rec[t.identifier]?.value != null) n++;
    if (!best || n > best.n) best = { id: t.identifier, n };
  }
  return best?.id;
}

const cache = new Map<string, CorrelationRow[]>();

/**
 * Every predictor against `target` (analysis.correlate with its default bootstrap: 1000 resamples,
 * seed 0, 95 %), cached per board state and options.
 */
export function correlationsFor(
  board: Board,
  s: ExplorerState,
  opts: { bootstrap?: boolean } = {},
): CorrelationRow[] {
  const bootstrap = opts.bootstrap ?? true;
  const key = JSON.stringify([
    board.fingerprint,
    s.target,
    s.method,
    s.covariate,
    s.minN,
    s.missing,
    bootstrap,
  ]);
  const hit = cache.get(key);
  if (hit) return hit;
  const rows = correlate(
    correlationInput(board, s.missing, [s.target, ...(s.covariate ? [s.covariate] : [])]),
    {
      target: s.target,
      method: s.method,
      ...(s.covariate ? { covariate: s.covariate } : {}),
      minN: s.minN,
      ...(bootstrap ? {} : { bootstrap: false as const }),
    },
  );
  if (cache.size > 200) cache.clear();
  cache.set(key, rows);
  return rows;
}

/** Paired values of two nodes (models with both), for scatter plots. */
export function pairs(board: Board, missing: Missing, x: string, y: string) {
  const values = board.values(missing);
  const out: { x: number; y: number; model: string }[] = [];
  for (const m of board.models) {
    const a = values.get(m.identifier)?.[x]?.value;
    const b = values.get(m.identifier)?.[y]?.value;
    if (a != null && b != null && Number.isFinite(a) && Number.isFinite(b))
      out.push({ x: a, y: b, model: m.displayName });
  }
  return out;
}

export const METHOD_SYMBOL: Record<CorrelationMethod, string> = {
  spearman: 'Spearman ρ',
  pearson: 'Pearson r',
  kendall: 'Kendall τ-b',
};

/** Coefficient and OLS fit of y on x alone (no bootstrap), for the scatter of any pair. */
export function pairStats(board: Board, s: ExplorerState, x: string, y: string): CorrelationRow | undefined {
  if (x === y) return undefined;
  const values = board.values(s.missing);
  const col = (id: string) =>
    board.models.map((m) => {
      const v = values.get(m.identifier)?.[id]?.value;
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    });
  return correlate(
    { models: board.models.map((m) => m.identifier), columns: { [x]: col(x), [y]: col(y) } },
    { target: y, method: s.method, minN: s.minN, bootstrap: false },
  )[0];
}

/**
 * One benchmark against every robustness target (Spearman, the explorer's defaults). Coefficients, p
 * and q come from `correlate` over all columns without bootstrap (cheap, cached); the interval of this
 * one pair from `percentileBootstrap` with the same seed (0) and resamples (1,000), which equals the
 * interval `correlate` would give that row, so the numbers match the explorer and the API without
 * bootstrapping every column for every target.
 */
export function benchmarkVsTargets(
  board: Board,
  benchmark: string,
  missing: Missing,
): { target: TreeNode; row: CorrelationRow | undefined }[] {
  const input = correlationInput(board, missing);
  return robustnessTargets(board).map((target) => {
    const s: ExplorerState = {
      target: target.identifier,
      method: 'spearman',
      covariate: '',
      minN: 8,
      missing,
    };
    const found = correlationsFor(board, s, { bootstrap: false }).find((r) => r.benchmark === benchmark);
    if (!found || found.coefficient === null) return { target, row: found };
    const key = JSON.stringify([board.fingerprint, 'ci', benchmark, target.identifier, missing]);
    let ci = ciCache.get(key);
    if (!ci) {
      const x = input.columns[benchmark];
      const y = input.columns[target.identifier];
      ci =
        x && y
          ? percentileBootstrap(x, y, 'spearman', { resamples: 1000, seed: 0 })
          : { low: null, high: null };
      if (ciCache.size > 2000) ciCache.clear();
      ciCache.set(key, ci);
    }
    return { target, row: { ...found, ciLow: ci.low, ciHigh: ci.high } };
  });
}

const ciCache = new Map<string, { low: number | null; high: number | null }>();
