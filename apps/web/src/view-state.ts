/**
 * The leaderboard's whole view state, read from and written to the URL (so every view is a permalink
 * and a reload restores it). Pure: used by the server page and by client components.
 */

export type Missing = 'zero' | 'skip';
export type SortDir = 'asc' | 'desc';

export type BoardState = {
  /** Search query (see search.ts for its operators). */
  q: string;
  family: string;
  regime: string;
  /** Parameter range in millions; null = unbounded. */
  pmin: number | null;
  pmax: number | null;
  /** Only models with at least one scored robustness benchmark. */
  robust: boolean;
  missing: Missing;
  /** A benchmark node identifier, or `model` for the model name. */
  sort: string;
  dir: SortDir;
  /** Expanded nodes of the column tree. */
  open: string[];
  /** The board as of a time (`asOf`, see as-of.ts); '' = now. Kept as written, validated by the page. */
  asOf: string;
  /** Show each leaf score's uncertainty interval in the cells (`ci=1`); the tooltip always has it. */
  ci: boolean;
};

export const DEFAULT_OPEN = ['average_vision'];

export const defaultState: BoardState = {
  q: '',
  family: '',
  regime: '',
  pmin: null,
  pmax: null,
  robust: false,
  missing: 'zero',
  sort: 'average_vision',
  dir: 'desc',
  open: DEFAULT_OPEN,
  asOf: '',
  ci: false,
};

export type Params = Record<string, string | string[] | undefined>;

function one(p: Params, key: string): string | undefined {
  const v = p[key];
  return Array.isArray(v) ? v[0] : v;
}

function num(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Reads the state from search params; unknown or malformed values fall back to the defaults. */
export function parseState(p: Params): BoardState {
  const openText = one(p, 'open');
  const dir = one(p, 'dir');
  const sort = one(p, 'sort')?.trim();
  return {
    q: one(p, 'q')?.slice(0, 500) ?? '',
    family: one(p, 'family') ?? '',
    regime: one(p, 'regime') ?? '',
    pmin: num(one(p, 'pmin')),
    pmax: num(one(p, 'pmax')),
    robust: one(p, 'robust') === '1',
    missing: one(p, 'missing') === 'skip' ? 'skip' : 'zero',
    sort: sort ? sort : defaultState.sort,
    dir: dir === 'asc' || dir === 'desc' ? dir : sort === 'model' ? 'asc' : 'desc',
    open:
      openText === undefined
        ? DEFAULT_OPEN
        : openText
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
    asOf: one(p, 'asOf')?.trim().slice(0, 40) ?? '',
    ci: one(p, 'ci') === '1',
  };
}

/** The query string of a state (defaults left out), without the leading `?`. */
export function serializeState(s: BoardState): string {
  const q = new URLSearchParams();
  if (s.q) q.set('q', s.q);
  if (s.family) q.set('family', s.family);
  if (s.regime) q.set('regime', s.regime);
  if (s.pmin !== null) q.set('pmin', String(s.pmin));
  if (s.pmax !== null) q.set('pmax', String(s.pmax));
  if (s.robust) q.set('robust', '1');
  if (s.missing !== 'zero') q.set('missing', s.missing);
  if (s.sort !== defaultState.sort) q.set('sort', s.sort);
  const naturalDir = s.sort === 'model' ? 'asc' : 'desc';
  if (s.dir !== naturalDir) q.set('dir', s.dir);
  if (s.open.join(',') !== DEFAULT_OPEN.join(',')) q.set('open', s.open.join(','));
  if (s.asOf) q.set('asOf', s.asOf);
  if (s.ci) q.set('ci', '1');
  return q.toString();
}

export function hrefFor(s: BoardState, patch: Partial<BoardState> = {}): string {
  const qs = serializeState({ ...s, ...patch });
  return qs ? `/?${qs}` : '/';
}

/** The state after clicking a column's sort control: same column flips, a new one starts at its natural order. */
export function sortPatch(s: BoardState, column: string): Partial<BoardState> {
  if (s.sort === column) return { dir: s.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: column, dir: column === 'model' ? 'asc' : 'desc' };
}

export function togglePatch(s: BoardState, node: string): Partial<BoardState> {
  return { open: s.open.includes(node) ? s.open.filter((o) => o !== node) : [...s.open, node] };
}
