/**
 * Brain-Score's neural benchmarks, a family: for each recorded region, the `-pls` leaf of the tree (it
 * feeds V1/V2/V4/IT and neural_vision) and the same data scored with the other metrics (`-ridge`,
 * `-rdm`, `-cka`), created on first use without a parent so they never change the Brain-Score
 * aggregates. The plugin family is apps/evaluator/src/benchmarks/plugins/neural.ts.
 */
import type { BenchmarkDefinition } from '../definition.ts';

export const NEURAL_METRIC_NAMES = ['pls', 'ridge', 'rdm', 'cka'] as const;
export type NeuralMetricName = (typeof NEURAL_METRIC_NAMES)[number];

export const NEURAL_METRIC_TEXT: Record<NeuralMetricName, string> = {
  pls: 'PLS regression (25 components, no scaling) neural predictivity: Pearson r per neuroid on held-out stimuli, median over neuroids, mean over 10 splits',
  ridge:
    'ridge regression neural predictivity (alpha by leave-one-out on each training part, Brain-Score ALPHA_LIST)',
  rdm: 'RSA: Spearman correlation of representational dissimilarity matrices (1 - Pearson), mean over 10 subsets of 90%',
  cka: 'linear CKA (unbiased estimator), mean over 10 subsets of 90%',
};

const leaf = (
  identifier: string,
  parent: string,
  ceiling: number,
  reference: string,
): BenchmarkDefinition => ({
  identifier,
  parent,
  domain: 'neural',
  version: 1,
  metric: 'PLS neural predictivity (Pearson r, median over neuroids), ceiled as (r/ceiling)^2',
  ceiling,
  rangeMin: -1,
  rangeMax: 1,
  reference,
  scoredBy: 'plugin',
  labelSpace: 'any',
});

/** The `-pls` leaves, in catalog order. */
export const neuralLeaves: readonly BenchmarkDefinition[] = [
  leaf('FreemanZiemba2013.V1-pls', 'V1', 0.8736567542821909, 'Freeman et al., Nature Neuroscience 2013'),
  leaf('FreemanZiemba2013.V2-pls', 'V2', 0.8248361574747418, 'Freeman et al., Nature Neuroscience 2013'),
  leaf('MajajHong2015.V4-pls', 'V4', 0.8950300216674805, 'Majaj, Hong et al., J. Neuroscience 2015'),
  leaf('MajajHong2015.IT-pls', 'IT', 0.8218406438827515, 'Majaj, Hong et al., J. Neuroscience 2015'),
];

/** The other metrics on each leaf's data (`MajajHong2015.IT-ridge`, ...), created on first use. */
export const neuralVariants: readonly BenchmarkDefinition[] = neuralLeaves.flatMap((l) =>
  NEURAL_METRIC_NAMES.filter((m) => m !== 'pls').map(
    (metric): BenchmarkDefinition => ({
      identifier: `${l.identifier.slice(0, -'-pls'.length)}-${metric}`,
      parent: null,
      domain: 'neural',
      version: 1,
      metric: NEURAL_METRIC_TEXT[metric],
      ceiling: null,
      rangeMin: -1,
      rangeMax: 1,
      ...(l.reference === undefined ? {} : { reference: l.reference }),
      scoredBy: 'plugin',
      labelSpace: 'any',
      onFirstUse: true,
    }),
  ),
);

export default [...neuralLeaves, ...neuralVariants];
