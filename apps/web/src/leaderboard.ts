import 'server-only';
import type { Board, Domain } from '@alignscope/board';
import { type Intervals, overlappingRanks } from './intervals.ts';
import { matcher, SearchSyntaxError } from './search.ts';
import { type BoardState, hrefFor, sortPatch, togglePatch } from './view-state.ts';

/** Cell status codes sent to the browser: scored, partial, failed, not-run, missing. */
export type CellStatus = 's' | 'p' | 'f' | 'n' | 'm';

export type Column = {
  identifier: string;
  label: string;
  domain: Domain;
  depth: number;
  root: string;
  rootLabel: string;
  /** Header group: the root's label, or for robustness benchmarks their data set and threat model. */
  group: string;
  hasChildren: boolean;
  open: boolean;
  leafCount: number;
  sortHref: string;
  toggleHref: string | null;
  sorted: 'asc' | 'desc' | null;
  /** Range of the column over all models (for the colour scale). */
  min: number | null;
  max: number | null;
};

export type Row = {
  identifier: string;
  displayName: string;
  rank: number | null;
  /** Values of the visible columns, rounded to 6 decimals (what the browser receives and exports). */
  values: (number | null)[];
  /** One CellStatus character per visible column (compact for large boards). */
  statuses: string;
  /** The uncertainty interval of each visible column's value, [low, high] (leaf scores that have one). */
  intervals: ([number, number] | null)[];
  /**
   * The ranks whose intervals overlap this model's on the rank column, [first, last], when that column
   * has intervals and another model's overlaps (their order is not resolved by the data); else null.
   */
  overlap: [number, number] | null;
};

export type LeaderboardView = {
  columns: Column[];
  rows: Row[];
  totalModels: number;
  rankColumn: string;
  families: string[];
  regimes: string[];
  searchError: string | null;
  modelSortHref: string;
  modelSorted: 'asc' | 'desc' | null;
  /** Whether any visible cell has an interval. */
  hasIntervals: boolean;
};

/** The leaf columns (benchmarks without children) among `ids` and the rank column: the ones with intervals. */
export function leafColumns(board: Board, state: BoardState): number[] {
  const ids = new Set(visibleColumns(board, state));
  ids.add(state.sort);
  const out: number[] = [];
  for (const id of ids) {
    const n = board.node.get(id);
    if (n && n.children.length === 0) out.push(n.id);
  }
  return out;
}

const STATUS: Record<string, CellStatus> = {
  scored: 's',
  partial: 'p',
  failed: 'f',
  'not-run': 'n',
  missing: 'm',
};

const DATASET: Record<string, string> = { imagenet: 'ImageNet', cifar10: 'CIFAR-10' };
const NORM: Record<string, string> = { Linf: 'L∞', L2: 'L2' };

/** "ImageNet L∞ AutoAttack (torchattacks)" for a robustness benchmark's parameters, else undefined. */
function threatModel(p: Record<string, unknown>): string | undefined {
  if (p.attack === undefined || p.norm === undefined || p.epsLabel === undefined) return undefined;
  const profile = p.profile && p.profile !== 'reference' ? ` (${String(p.profile)})` : '';
  const dataset = DATASET[String(p.dataset)] ?? String(p.dataset ?? '');
  return `${dataset} ${NORM[String(p.norm)] ?? String(p.norm)} ${String(p.attack)}${profile}`.trim();
}

function visibleColumns(board: Board, state: BoardState): string[] {
  const out: string[] = [];
  const visit = (id: string) => {
    out.push(id);
    const n = board.node.get(id);
    if (n && n.children.length > 0 && state.open.includes(id)) for (const c of n.children) visit(c);
  };
  for (const r of board.roots) visit(r);
  return out;
}

function uniqueSorted(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort((a, b) =>
    a.localeCompare(b),
  );
}

/** The leaderboard as the state asks: filtered, sorted, ranked, with the visible columns only. */
export function leaderboardView(
  board: Board,
  state: BoardState,
  intervals: Intervals = new Map(),
): LeaderboardView {
  const values = board.values(state.missing);
  const robustLeaves = board.nodes.filter((n) => n.domain === 'robustness' && n.children.length === 0);

  let searchError: string | null = null;
  let match: (m: (typeof board.models)[number]) => boolean = () => true;
  try {
    match = matcher(state.q);
  } catch (e) {
    if (!(e instanceof SearchSyntaxError)) throw e;
    searchError = e.message;
  }
  const family = state.family.toLowerCase();
  const regime = state.regime.toLowerCase();
  const models = board.models.filter((m) => {
    if (family && m.family?.toLowerCase() !== family) return false;
    if (regime && m.trainingRegime?.toLowerCase() !== regime) return false;
    if (state.pmin !== null && (m.parameters === null || m.parameters < state.pmin * 1e6)) return false;
    if (state.pmax !== null && (m.parameters === null || m.parameters > state.pmax * 1e6)) return false;
    if (state.robust) {
      const v = values.get(m.identifier);
      if (!robustLeaves.some((n) => v?.[n.identifier]?.status === 'scored')) return false;
    }
    return match(m);
  });

  const ids = visibleColumns(board, state);
  const sortColumn = state.sort !== 'model' && board.node.has(state.sort) ? state.sort : null;
  const rankColumn = sortColumn ?? board.roots[0] ?? '';
  const cellValue = (model: string, col: string) => {
    const v = values.get(model)?.[col]?.value;
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };

  const sign = state.dir === 'asc' ? 1 : -1;
  const sorted = [...models].sort((a, b) => {
    if (sortColumn) {
      const x = cellValue(a.identifier, sortColumn);
      const y = cellValue(b.identifier, sortColumn);
      if (x === null && y !== null) return 1;
      if (y === null && x !== null) return -1;
      if (x !== null && y !== null && x !== y) return sign * (x - y);
      return a.identifier.localeCompare(b.identifier);
    }
    const c = a.displayName.localeCompare(b.displayName) || a.identifier.localeCompare(b.identifier);
    return state.sort === 'model' ? sign * c : c;
  });
  // Ranks on the whole board (the API's leaderboard ranks), also when a filter hides some models.
  const ranks = board.ranks(rankColumn, state.missing);

  const columns: Column[] = ids.map((id) => {
    const n = board.node.get(id);
    if (!n) throw new Error(`unknown column ${id}`);
    let min: number | null = null;
    let max: number | null = null;
    for (const m of board.models) {
      const v = cellValue(m.identifier, id);
      if (v === null) continue;
      min = min === null ? v : Math.min(min, v);
      max = max === null ? v : Math.max(max, v);
    }
    return {
      identifier: id,
      label: threatModel(n.parameters) ? `ε = ${String(n.parameters.epsLabel)}` : n.label,
      domain: n.domain,
      depth: n.depth,
      root: n.root,
      rootLabel: board.node.get(n.root)?.label ?? n.root,
      group: threatModel(n.parameters) ?? board.node.get(n.root)?.label ?? n.root,
      hasChildren: n.children.length > 0,
      open: state.open.includes(id),
      leafCount: n.leafCount,
      sortHref: hrefFor(state, sortPatch(state, id)),
      toggleHref: n.children.length > 0 ? hrefFor(state, togglePatch(state, id)) : null,
      sorted: sortColumn === id ? state.dir : null,
      min,
      max,
    };
  });

  const rankNode = board.node.get(rankColumn);
  const overlap =
    rankNode && rankNode.children.length === 0
      ? overlappingRanks(
          board.models.flatMap((m) => {
            const rank = ranks.get(m.identifier);
            const interval = intervals.get(m.id)?.get(rankNode.id);
            return rank == null || !interval ? [] : [{ key: m.identifier, rank, interval }];
          }),
        )
      : new Map<string, [number, number]>();
  const columnIds = ids.map((id) => board.node.get(id)?.id ?? -1);
  let hasIntervals = false;
  const rows: Row[] = sorted.map((m) => {
    const rec = values.get(m.identifier);
    const own = intervals.get(m.id);
    const cellIntervals = columnIds.map((id, i) => {
      const iv = rec?.[ids[i] as string]?.status === 'scored' ? own?.get(id) : undefined;
      if (!iv) return null;
      hasIntervals = true;
      return [Math.round(iv[0] * 1e6) / 1e6, Math.round(iv[1] * 1e6) / 1e6] as [number, number];
    });
    return {
      intervals: cellIntervals,
      overlap: overlap.get(m.identifier) ?? null,
      identifier: m.identifier,
      displayName: m.displayName,
      rank: ranks.get(m.identifier) ?? null,
      values: ids.map((id) => {
        const v = cellValue(m.identifier, id);
        return v === null ? null : Math.round(v * 1e6) / 1e6;
      }),
      statuses: ids.map((id) => STATUS[rec?.[id]?.status ?? 'missing'] ?? 'm').join(''),
    };
  });

  return {
    columns,
    rows,
    totalModels: board.models.length,
    rankColumn,
    families: uniqueSorted(board.models.map((m) => m.family)),
    regimes: uniqueSorted(board.models.map((m) => m.trainingRegime)),
    searchError,
    modelSortHref: hrefFor(state, sortPatch(state, 'model')),
    modelSorted: state.sort === 'model' ? state.dir : null,
    hasIntervals,
  };
}
