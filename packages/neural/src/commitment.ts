/**
 * Layer commitment as Brain-Score does it (model_helpers/brain_transformation/neural.py, LayerSelection):
 * every candidate layer is scored on a separate commitment benchmark (Brain-Score uses the public data of
 * the region, e.g. `MajajHong2015public.IT-pls`), the best one (argmax) is committed to the region, and
 * the benchmark is then scored with that layer only, on stimuli the choice never saw.
 * Difference: Brain-Score reduces each layer to 1,000 principal components (a LayerPCA hook) before
 * choosing; here the layer's features are used as extracted (optionally pooled or randomly projected by
 * the evaluator, which records it).
 */
import { type Matrix, selectRows } from './matrix.ts';
import { defaultSplits, type MetricResult, type NeuralMetric, neuralMetric } from './metric.ts';
import type { Split } from './splits.ts';
export type LayerCandidate = { layer: string; score: number };

/** The layer with the highest commitment score (the earliest listed on a tie); NaN scores never win. */
export function commitLayer(candidates: readonly LayerCandidate[]): LayerCandidate {
  let best: LayerCandidate | undefined;
  for (const c of candidates)
    if (!Number.isNaN(c.score) && (best === undefined || c.score > best.score)) best = c;
  if (!best) throw new Error(`no layer has a defined commitment score (${candidates.length} candidates)`);
  return best;
}

export type CommitmentInput = {
  layers: readonly { layer: string; features: Matrix }[];
  /** Trial-averaged responses (stimulus x neuroid), rows in the order of every layer's features. */
  responses: Matrix;
  /** Stimulus rows the layer is chosen on (e.g. the public split). */
  commitRows: readonly number[];
  /** Stimulus rows the committed layer is scored on. */
  reportRows: readonly number[];
  metric: NeuralMetric;
  seed?: number;
  /** Stratification label per stimulus row (object_name), when the assembly has one. */
  strata?: readonly string[];
  components?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
};

export type CommitmentResult = {
  committed: LayerCandidate;
  /** Every layer's score on the commitment rows. */
  candidates: LayerCandidate[];
  /** The committed layer's metric on the report rows. */
  result: MetricResult;
  /** The splits of the report rows (indices into reportRows). */
  splits: Split[];
};

/** Chooses the layer on `commitRows` and scores it on `reportRows`, each with its own seeded splits. */
export function commitAndScore(input: CommitmentInput): CommitmentResult {
  const { commitRows, reportRows, metric, responses } = input;
  const overlap = new Set(commitRows);
  const shared = reportRows.find((r) => overlap.has(r));
  if (shared !== undefined)
    throw new Error(`stimulus row ${shared} is in both the commitment and the report set`);
  const subset = (rows: readonly number[]) => ({
    responses: selectRows(responses, rows),
    strata: input.strata ? rows.map((r) => input.strata?.[r] as string) : undefined,
  });
  const commit = subset(commitRows);
  const commitSplits = defaultSplits(metric, commitRows.length, { seed: input.seed, strata: commit.strata });
  const candidates = input.layers.map(({ layer, features }, i) => {
    const result = neuralMetric({
      metric,
      features: selectRows(features, commitRows),
      responses: commit.responses,
      splits: commitSplits,
      components: input.components,
    });
    input.onProgress?.('commitment', i + 1, input.layers.length);
    return { layer, score: result.raw };
  });
  const committed = commitLayer(candidates);
  const chosen = input.layers.find((l) => l.layer === committed.layer)?.features as Matrix;
  const report = subset(reportRows);
  const splits = defaultSplits(metric, reportRows.length, { seed: input.seed, strata: report.strata });
  const result = neuralMetric({
    metric,
    features: selectRows(chosen, reportRows),
    responses: report.responses,
    splits,
    components: input.components,
    onProgress: input.onProgress,
  });
  return { committed, candidates, result, splits };
}
