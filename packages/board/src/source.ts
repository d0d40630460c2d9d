/**
 * Where a board comes from: a data version (cheap to read, changes with any write the board shows)
 * and the data at that version. `dbBoardSource` reads the current tables; a source of the board as of
 * a past time is another implementation of the same two functions.
 */
import type { Database } from '@alignscope/db';
import {
  type Benchmark,
  type BoardAt,
  boardData,
  boardVersion,
  listBenchmarks,
} from '@alignscope/db/queries';
import { type Board, buildBoard } from './board.ts';

export type BoardSource = {
  /** The data version now. */
  version(): Promise<string>;
  /** The board, read now and labelled with `version` (read just before). */
  read(version: string): Promise<Board>;
  /** The benchmark catalog alone (cheaper than a board). */
  benchmarks(): Promise<Benchmark[]>;
  /** The board as of a past time (from the score versions), labelled with `version`. */
  readAt(at: BoardAt, version: string): Promise<Board>;
};

export function dbBoardSource(db: Database): BoardSource {
  return {
    version: () => boardVersion(db),
    read: async (version) => buildBoard(await boardData(db), version),
    benchmarks: () => listBenchmarks(db),
    readAt: async (at, version) => buildBoard(await boardData(db, at), version),
  };
}
