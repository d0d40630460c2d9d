/**
 * The database's scores as one wide table (a row per public model with some score, a column per
 * benchmark node, aggregates included), aggregated by the board (`@alignscope/board`: the code the
 * leaderboard and the API use, with Brain-Score's convention or the skip convention for missing
 * children). This is the input of the predictor and of study results when they read from the database.
 */
import type { CorrelateInput } from '@alignscope/analysis';
import { buildBoard } from '@alignscope/board';
import type { Database } from '@alignscope/db';
import { boardData, boardVersion } from '@alignscope/db/queries';

export async function scoreTable(
  db: Database,
  opts: { missing: 'zero' | 'skip' } = { missing: 'zero' },
): Promise<CorrelateInput> {
  const version = await boardVersion(db);
  const board = buildBoard(await boardData(db), version);
  const scored = new Set(board.scores.filter((s) => Object.keys(s.scores).length > 0).map((s) => s.model));
  const keep = board.models.map((m) => scored.has(m.identifier));
  const columns: Record<string, (number | null)[]> = {};
  for (const node of board.benchmarks) {
    columns[node.identifier] = board.column(node.identifier, opts.missing).filter((_, i) => keep[i]);
  }
  return { models: board.models.filter((_, i) => keep[i]).map((m) => m.identifier), columns };
}
