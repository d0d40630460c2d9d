/**
 * @alignscope/analysis: Brain-Score aggregation and alignment-robustness statistics.
 * Pure functions, no I/O. Used by the GraphQL API, the dashboard and the `alignscope analyze` CLI.
 */

export { aggregate } from './aggregate.ts';
export { benjaminiHochberg } from './benjamini-hochberg.ts';
export { BOOTSTRAP_DEFAULTS, percentileBootstrap } from './bootstrap.ts';
export { CORRELATE_DEFAULTS, correlate, undefinedCorrelationRow } from './correlate.ts';
export {
  bootstrapStrata,
  clopperPearson,
  clopperPearsonMethod,
  type Interval,
  SCORE_BOOTSTRAP_DEFAULTS,
  SCORE_CI_LEVEL,
  type StrataBootstrapOptions,
  type StrataBootstrapResult,
  trialBootstrapMethod,
} from './interval.ts';
export { kendallTauB } from './kendall.ts';
export {
  type IntervalInput,
  type NoisyBootstrapResult,
  noisyBootstrap,
} from './noisy-bootstrap.ts';
export { ols } from './ols.ts';
export { partialSpearman } from './partial-spearman.ts';
export { pearson } from './pearson.ts';
export { PREDICT_DEFAULTS, predictRobustness, selectFeatures } from './predict.ts';
export { createRng, type Rng } from './random.ts';
export { rankWithTies } from './rank-with-ties.ts';
export { pairwiseRankingAccuracy } from './ranking-accuracy.ts';
export { spearman } from './spearman.ts';
export { type StudyColumn, type StudyColumnRole, studyColumns } from './study-columns.ts';
export { type StudyPoint, studyPoints, whiskerSentences } from './study-points.ts';
export { STUDY_TABLE_TEXT, STUDY_TABLES, type StudyTable, studyCsv, toCsv } from './study-tables.ts';
export type * from './types.ts';
