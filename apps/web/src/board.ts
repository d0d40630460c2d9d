import 'server-only';
import {
  type Board,
  type BoardCache,
  createBoardCache,
  dbBoardSource,
  type Missing,
  workerBoardSource,
} from '@alignscope/board';
import { loadConfig } from '@alignscope/config';
import { getDb } from './db.ts';

export type { Board, Domain, TreeNode } from '@alignscope/board';

/**
 * How long a board is served before its data version is checked again (in the background). Writes
 * through this process's GraphQL endpoint invalidate it at once; writes by other processes (the CLI,
 * workers) show within this time.
 */
const BOARD_TTL_MS = 1000;

// On globalThis: the instrumentation hook (which warms the cache at start-up), the pages and the API
// route are separate bundles with separate module instances, and must share one board.
const CACHE = Symbol.for('alignscope.web.board');
const store = globalThis as typeof globalThis & { [CACHE]?: Promise<BoardCache> };

/** The process's one board cache, shared by the pages and the GraphQL endpoint (app/api/graphql). */
export function getBoardCache(): Promise<BoardCache> {
  store[CACHE] ??= getDb()
    // Boards are built, and correlation tables computed, in worker threads (packages/board).
    .then(({ db, url }) =>
      createBoardCache(
        loadConfig().boardWorkers ? workerBoardSource(db, url) : dbBoardSource(db),
        BOARD_TTL_MS,
      ),
    )
    .catch((e: unknown) => {
      store[CACHE] = undefined;
      throw e;
    });
  return store[CACHE];
}

/** The board (packages/board): the same snapshot, and the same derived numbers, the API serves. */
export async function getBoard(): Promise<Board> {
  return (await getBoardCache()).get();
}

/**
 * The board as of a time (from the score versions: each cell's value chosen among the versions
 * recorded by then, each benchmark at the version it had then), or the current board without one.
 */
export async function getBoardAt(asOf: Date | undefined): Promise<Board> {
  const cache = await getBoardCache();
  return asOf ? cache.at(asOf) : cache.get();
}

/** Median of the finite numbers (null when none). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Values of one node over all models (models without a value left out). */
export function columnValues(board: Board, missing: Missing, identifier: string): number[] {
  return board.column(identifier, missing).filter((v): v is number => v !== null);
}
