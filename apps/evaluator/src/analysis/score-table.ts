/**
 * The database's scores as one wide table (a row per public model, a column per benchmark node,
 * aggregates included), aggregated as the board does it (`aggregate` from @alignscope/analysis, with
 * Brain-Score's convention or the skip convention for missing children). This is the input of the
 * predictor and of study results when they read from the database.
 */
import {
  aggregate,
  type BenchmarkTreeNode,
  type CorrelateInput,
  type LeafScore,
  type ModelScores,
} from '@alignscope/analysis';
import type { Database } from '@alignscope/db';
import { leaderboardData } from '@alignscope/db/queries';

export async function scoreTable(
  db: Database,
  opts: { missing: 'zero' | 'skip' } = { missing: 'zero' },
): Promise<CorrelateInput> {
  const data = await leaderboardData(db);
  const byId = new Map(data.benchmarks.map((b) => [b.id, b]));
  const tree: BenchmarkTreeNode[] = data.benchmarks.map((b) => ({
    identifier: b.identifier,
    parent: b.parentId === null ? null : (byId.get(b.parentId)?.identifier ?? null),
    domain: b.domain,
  }));
  const perModel = new Map<number, Record<string, LeafScore>>();
  for (const s of data.scores) {
    const b = byId.get(s.benchmarkId);
    if (!b) continue;
    const rec = perModel.get(s.modelId) ?? {};
    rec[b.identifier] = { status: s.status, raw: s.rawValue, ceiled: s.ceiledValue };
    perModel.set(s.modelId, rec);
  }
  const models = data.models.filter((m) => perModel.has(m.id));
  const input: ModelScores[] = models.map((m) => ({ model: m.identifier, scores: perModel.get(m.id) ?? {} }));
  const agg = aggregate(tree, input, { missing: opts.missing });
  const columns: Record<string, (number | null)[]> = {};
  for (const node of tree)
    columns[node.identifier] = agg.map((r) => r.values[node.identifier]?.value ?? null);
  return { models: models.map((m) => m.identifier), columns };
}
