/**
 * The board shared by every request of a process (API resolvers and web pages alike). Every `ttlMs`
 * the source's data version is checked; only when it changed is the board read again. Writes by other
 * processes show within about ttlMs, writes through this process at once (invalidate). Concurrent
 * callers share one read.
 */
import type { Benchmark, ScoreSource } from '@alignscope/db/queries';
import type { Board } from './board.ts';
import type { BoardSource } from './source.ts';

/** The catalog part of a board (what validating a submission needs). */
export type Catalog = Pick<Board, 'benchmarks' | 'byId' | 'byIdentifier' | 'children'>;

export function buildCatalog(benchmarks: Benchmark[]): Catalog {
  const byId = new Map(benchmarks.map((b) => [b.id, b]));
  const byIdentifier = new Map(benchmarks.map((b) => [b.identifier, b]));
  const children = new Map<number, Benchmark[]>();
  for (const b of benchmarks) {
    if (b.parentId === null || !byId.has(b.parentId)) continue;
    const list = children.get(b.parentId) ?? [];
    list.push(b);
    children.set(b.parentId, list);
  }
  return { benchmarks, byId, byIdentifier, children };
}

export type BoardCache = {
  /** The current board. */
  get(): Promise<Board>;
  /** The benchmark catalog alone (from the current board when fresh, else its own query). */
  catalog(): Promise<Catalog>;
  /**
   * The board as of a past time (undefined: now) and/or under another source preference. Kept per
   * (time, source order, current data version), the last PAST_BOARDS of them: such a board changes
   * only when data recorded by then changes (a write with an earlier time cannot happen; a write now
   * invalidates with the data version).
   */
  at(asOf: Date | undefined, sourceOrder?: readonly ScoreSource[]): Promise<Board>;
  /** Drops cached data (after a write). */
  invalidate(): void;
};

/** As-of boards kept per process (least recently asked dropped first). */
export const PAST_BOARDS = 8;

/**
 * `ttlMs`: how long a board is used before the data version is checked again. With ttlMs > 0 the
 * check (and a reload when the data changed) runs in the background while requests keep getting the
 * previous board, so no request waits on it; with 0 every call checks first.
 */
export function createBoardCache(source: BoardSource, ttlMs: number): BoardCache {
  let current: { checkedAt: number; value: Promise<Board> } | undefined;
  let revalidating: Promise<void> | undefined;
  let cat: { at: number; value: Promise<Catalog> } | undefined;
  const past = new Map<string, Promise<Board>>();
  const fresh = (previous: Promise<Board> | undefined): Promise<Board> =>
    (async () => {
      const version = await source.version();
      const old = previous ? await previous.catch(() => undefined) : undefined;
      if (old && old.version === version) return old;
      return source.read(version);
    })();
  const replace = (value: Promise<Board>): Promise<Board> => {
    const entry = { checkedAt: Date.now(), value };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
  return {
    get() {
      if (!current) return replace(fresh(undefined));
      if (Date.now() - current.checkedAt < ttlMs) return current.value;
      if (ttlMs <= 0) return replace(fresh(current.value));
      if (!revalidating) {
        const entry = current;
        revalidating = fresh(entry.value)
          .then((board) => {
            // Only if nothing replaced the entry meanwhile (an invalidation drops it).
            if (current === entry) current = { checkedAt: Date.now(), value: Promise.resolve(board) };
          })
          .catch(() => {}) // keep serving the previous board; the next call tries again
          .finally(() => {
            revalidating = undefined;
          });
      }
      return current.value;
    },
    catalog() {
      if (current && Date.now() - current.checkedAt < ttlMs) return current.value;
      if (cat && Date.now() - cat.at < ttlMs) return cat.value;
      const value = source.benchmarks().then(buildCatalog);
      const entry = { at: Date.now(), value };
      cat = entry;
      value.catch(() => {
        if (cat === entry) cat = undefined;
      });
      return value;
    },
    async at(asOf, sourceOrder) {
      const key = `${asOf?.toISOString() ?? 'now'}|${sourceOrder?.join(',') ?? ''}|${await source.version()}`;
      let board = past.get(key);
      if (board) past.delete(key);
      else {
        board = source.readAt({ asOf, sourceOrder }, `asof:${key}`);
        board.catch(() => past.delete(key));
      }
      past.set(key, board);
      if (past.size > PAST_BOARDS) past.delete(past.keys().next().value as string);
      return board;
    },
    invalidate() {
      current = undefined;
      cat = undefined;
      past.clear();
    },
  };
}
