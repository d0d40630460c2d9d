/**
 * @alignscope/neural: Brain-Score's neural alignment metrics (PLS and ridge neural predictivity, RSA, CKA),
 * their cross-validation splits, the split-half ceiling and layer commitment. Pure functions, no I/O: the
 * evaluator reads assemblies and extracts activations.
 */
export {
  averageRepetitions,
  CEILING_DEFAULTS,
  type CeiledScores,
  type Ceiling,
  type CeilingConvention,
  ceiledScores,
  spearmanBrown,
  splitHalfCeiling,
  type Trials,
} from './ceiling.ts';
export { linearCka, unbiasedHsic } from './cka.ts';
export {
  type CommitmentInput,
  type CommitmentResult,
  commitAndScore,
  commitLayer,
  type LayerCandidate,
} from './commitment.ts';
export { meanAndError, nanMedian, pearsonColumns } from './correlation.ts';
export { assertFinite, columnMeans, fromRows, gram, type Matrix, matrix, selectRows } from './matrix.ts';
export {
  defaultSplits,
  type MetricInput,
  type MetricResult,
  NEURAL_METRICS,
  type NeuralMetric,
  type NeuralScore,
  neuralMetric,
  withCeiling,
} from './metric.ts';
export { nipalsPls, nipalsPredict } from './nipals.ts';
export { gramTimes, PLS_DEFAULTS, type PlsDiagnostics, plsPredictFromGram } from './pls.ts';
export { rdmSimilarity, rdmUpperTriangle } from './rdm.ts';
export { RIDGE_ALPHAS, ridgeCvPredictFromGram } from './ridge.ts';
export { SPLIT_DEFAULTS, type Split, type SplitOptions, shuffleSplits } from './splits.ts';
