/**
 * The four neural metrics with Brain-Score's identifier suffixes, on a stimulus x feature matrix (model
 * activations) and a stimulus x neuroid matrix (trial-averaged responses) over the same stimuli:
 * - `pls`, `ridge`: CrossRegressedCorrelation: per split, fit on the train stimuli, predict the test
 *   stimuli, Pearson r per neuroid, median over neuroids; mean over splits, error = std / sqrt(splits).
 * - `rdm`, `cka`: TestOnlyCrossValidation: per split, the similarity on the split's `test` stimuli (90% of
 *   them with the default splits); mean over splits, same error.
 * Ceiling and ceiled scores: see ceiling.ts.
 */
import { type CeiledScores, type Ceiling, ceiledScores } from './ceiling.ts';
import { linearCka } from './cka.ts';
import { meanAndError, nanMedian, pearsonColumns } from './correlation.ts';
import { assertFinite, gram as gramOf, type Matrix, selectRows } from './matrix.ts';
import { gramTimes, PLS_DEFAULTS, plsPredictFromGram } from './pls.ts';
import { rdmSimilarity, rdmUpperTriangle } from './rdm.ts';
import { ridgeCvPredictFromGram } from './ridge.ts';
import { type Split, shuffleSplits } from './splits.ts';

export const NEURAL_METRICS = ['pls', 'ridge', 'rdm', 'cka'] as const;
export type NeuralMetric = (typeof NEURAL_METRICS)[number];

/** Brain-Score's split defaults per metric: regressions train on 90%; rdm/cka compare on 90% (test_size 0.9). */
export function defaultSplits(
  metric: NeuralMetric,
  n: number,
  options: { seed?: number; strata?: readonly string[]; splits?: number } = {},
): Split[] {
  const trainSize = metric === 'pls' || metric === 'ridge' ? 0.9 : 0.1;
  return shuffleSplits({ n, trainSize, ...options });
}

export type MetricInput = {
  metric: NeuralMetric;
  features: Matrix;
  responses: Matrix;
  splits: Split[];
  /** PLS components (default 25). */
  components?: number;
  /** The Gram matrix of `features`' rows, when already computed (several metrics on one layer). */
  gram?: Float64Array;
  onProgress?: (phase: string, done: number, total: number) => void;
};

export type MetricResult = {
  metric: NeuralMetric;
  /** Mean over splits of the per-split value (median r over neuroids for pls/ridge). */
  raw: number;
  /** Standard deviation over splits (ddof 0) / sqrt(splits), Brain-Score's error. */
  error: number;
  perSplit: number[];
  /** pls/ridge: per split, the neuroids whose r is undefined (constant in the train or test stimuli). */
  undefinedNeuroids?: number[];
  /** ridge: the alpha chosen on each split's training part. */
  alphas?: number[];
  components?: number;
};

function checkInput(input: MetricInput): void {
  const { features, responses, splits } = input;
  if (features.rows !== responses.rows) {
    throw new Error(
      `features have ${features.rows} stimuli, responses ${responses.rows}: they must be the same stimuli`,
    );
  }
  assertFinite(features, 'features');
  assertFinite(responses, 'responses');
  if (splits.length === 0) throw new Error('no cross-validation splits');
  splits.forEach((s, i) => {
    for (const idx of [...s.train, ...s.test]) {
      if (!Number.isInteger(idx) || idx < 0 || idx >= features.rows) {
        throw new Error(`split ${i} names stimulus index ${idx}, outside 0..${features.rows - 1}`);
      }
    }
    const train = new Set(s.train);
    const both = s.test.find((t) => train.has(t));
    if (both !== undefined) throw new Error(`split ${i} has stimulus index ${both} in both train and test`);
  });
}

function constantColumns(y: Matrix, rows: readonly number[]): boolean[] {
  const q = y.cols;
  return Array.from({ length: q }, (_, j) => {
    const first = y.data[(rows[0] as number) * q + j];
    return rows.every((r) => y.data[r * q + j] === first);
  });
}

export function neuralMetric(input: MetricInput): MetricResult {
  checkInput(input);
  const { metric, features, responses, splits, onProgress } = input;
  const perSplit: number[] = [];
  if (metric === 'pls' || metric === 'ridge') {
    const g = input.gram ?? gramOf(features, (d, t) => onProgress?.('gram', d, t));
    const undefinedNeuroids: number[] = [];
    const alphas: number[] = [];
    const components = input.components ?? PLS_DEFAULTS.components;
    const gy = metric === 'pls' && splits.length > 1 ? gramTimes(g, features.rows, responses) : undefined;
    splits.forEach((split, i) => {
      let prediction: Matrix;
      if (metric === 'pls') {
        prediction = plsPredictFromGram({
          gram: g,
          size: features.rows,
          features: features.cols,
          y: responses,
          train: split.train,
          test: split.test,
          components,
          gy,
        }).prediction;
      } else {
        const fit = ridgeCvPredictFromGram({
          gram: g,
          size: features.rows,
          y: responses,
          train: split.train,
          test: split.test,
        });
        prediction = fit.prediction;
        alphas.push(fit.alpha);
      }
      const target = selectRows(responses, split.test);
      const r = pearsonColumns(prediction, target);
      const trainConst = constantColumns(responses, split.train);
      const testConst = constantColumns(responses, split.test);
      for (let j = 0; j < r.length; j++) if (trainConst[j] || testConst[j]) r[j] = Number.NaN;
      const undef = r.filter((v) => Number.isNaN(v)).length;
      if (undef === r.length) {
        throw new Error(
          `split ${i}: every neuroid is constant on the train or test stimuli, no correlation is defined`,
        );
      }
      undefinedNeuroids.push(undef);
      perSplit.push(nanMedian(r));
      onProgress?.(metric, i + 1, splits.length);
    });
    const { mean, error } = meanAndError(perSplit);
    return {
      metric,
      raw: mean,
      error,
      perSplit,
      undefinedNeuroids,
      ...(metric === 'ridge' ? { alphas } : { components }),
    };
  }
  splits.forEach((split, i) => {
    const rows = split.test;
    const value =
      metric === 'rdm'
        ? rdmSimilarity(rdmUpperTriangle(features, rows), rdmUpperTriangle(responses, rows))
        : linearCka(features, responses, { index: rows });
    perSplit.push(value);
    onProgress?.(metric, i + 1, splits.length);
  });
  const { mean, error } = meanAndError(perSplit);
  return { metric, raw: mean, error, perSplit };
}

export type NeuralScore = MetricResult & {
  ceiling: Ceiling;
  /**
   * Both normalisations of a pls/ridge r when there is a ceiling. rdm/cka scores are not ceiled here: the
   * split-half neuroid ceiling bounds an r per neuroid, not an RDM or CKA similarity (Brain-Score's RSA
   * benchmarks use a separate subject-level ceiling).
   */
  ceiled: CeiledScores | null;
};

/** The metric with the assembly's ceiling and the ceiled forms. */
export function withCeiling(result: MetricResult, ceiling: Ceiling): NeuralScore {
  const regression = result.metric === 'pls' || result.metric === 'ridge';
  const ceiled = ceiling.value === null || !regression ? null : ceiledScores(result.raw, ceiling.value);
  return { ...result, ceiling, ceiled };
}
