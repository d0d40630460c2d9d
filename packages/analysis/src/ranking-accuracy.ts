/**
 * Pairwise ranking accuracy: among the pairs of models that are untied on both variables, the share that
 * the two variables order the same way, C / (C + D) (C, D: Kendall's concordant and discordant pairs).
 * 0.5 is chance; it equals (1 + gamma) / 2, gamma being Goodman and Kruskal's gamma.
 */
import { completeCases, ranking } from './internal/paired.ts';
import { type KendallCounts, kendallCounts } from './kendall.ts';
import type { NumericInput, RankingAccuracyResult } from './types.ts';

export function pairwiseRankingAccuracy(x: NumericInput, y: NumericInput): RankingAccuracyResult {
  const [cx, cy] = completeCases([x, y], 'pairwiseRankingAccuracy') as [Float64Array, Float64Array];
  return rankingAccuracyFromCounts(kendallCounts(ranking(cx), ranking(cy)));
}

export function rankingAccuracyFromCounts(c: KendallCounts): RankingAccuracyResult {
  const untied = c.tot - c.xtie - c.ytie + c.ntie;
  const concordant = untied - c.dis;
  return {
    accuracy: untied > 0 ? concordant / untied : null,
    concordant,
    discordant: c.dis,
    n: c.n,
  };
}
