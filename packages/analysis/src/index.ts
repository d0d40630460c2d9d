/**
 * @alignscope/analysis: Brain-Score aggregation and alignment-robustness statistics.
 * Pure functions, no I/O. Used by the GraphQL API, the dashboard and the `alignscope analyze` CLI.
 */
export type * from './types.ts';

import type {
  AggregateOptions,
  AggregateResult,
  BenchmarkTreeNode,
  BootstrapOptions,
  BootstrapResult,
  CorrelateInput,
  CorrelateOptions,
  CorrelationMethod,
  CorrelationResult,
  CorrelationRow,
  KendallResult,
  ModelScores,
  NumericInput,
  OlsResult,
  PredictOptions,
  PredictResult,
  RankingAccuracyResult,
} from './types.ts';

const notImplemented = (): never => {
  throw new Error('not implemented');
};

/** Brain-Score aggregation of leaf scores over the benchmark tree, for every model and every node. */
export function aggregate(
  _tree: BenchmarkTreeNode[],
  _scores: ModelScores[],
  _opts: AggregateOptions,
): AggregateResult[] {
  return notImplemented();
}
/** Standard competition ranking ("1, 2, 2, 4"); null values get a null rank. Descending by default. */
export function rankWithTies(
  _values: (number | null)[],
  _opts?: { descending?: boolean },
): (number | null)[] {
  return notImplemented();
}
export function spearman(_x: NumericInput, _y: NumericInput): CorrelationResult {
  return notImplemented();
}
export function pearson(_x: NumericInput, _y: NumericInput): CorrelationResult {
  return notImplemented();
}
export function kendallTauB(
  _x: NumericInput,
  _y: NumericInput,
  _opts?: { method?: 'auto' | 'exact' | 'asymptotic' },
): KendallResult {
  return notImplemented();
}
export function benjaminiHochberg(_pValues: (number | null)[]): (number | null)[] {
  return notImplemented();
}
/** OLS of y on x. */
export function ols(_x: NumericInput, _y: NumericInput): OlsResult {
  return notImplemented();
}
export function pairwiseRankingAccuracy(_x: NumericInput, _y: NumericInput): RankingAccuracyResult {
  return notImplemented();
}
export function partialSpearman(_x: NumericInput, _y: NumericInput, _z: NumericInput): CorrelationResult {
  return notImplemented();
}
export function percentileBootstrap(
  _x: NumericInput,
  _y: NumericInput,
  _statistic: CorrelationMethod,
  _opts?: BootstrapOptions,
): BootstrapResult {
  return notImplemented();
}
export function correlate(_input: CorrelateInput, _opts: CorrelateOptions): CorrelationRow[] {
  return notImplemented();
}
export function predictRobustness(_input: CorrelateInput, _opts: PredictOptions): PredictResult {
  return notImplemented();
}
