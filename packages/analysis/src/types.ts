/** Public data types of @alignscope/analysis (pure data, no classes). */

export type Domain = 'aggregate' | 'neural' | 'behavioral' | 'engineering' | 'robustness';

/** One node of the benchmark tree (Brain-Score identifiers); roots have `parent: null`. */
export type BenchmarkTreeNode = { identifier: string; parent: string | null; domain: Domain };

export type ScoreStatus = 'scored' | 'failed' | 'not-run';

export type LeafScore = { status: ScoreStatus; raw: number | null; ceiled: number | null };

/** One model's leaf scores keyed by benchmark identifier; an absent key is "missing". */
export type ModelScores = { model: string; scores: Record<string, LeafScore> };

/**
 * - `scored`: a value from every direct child (or a scored leaf);
 * - `partial`: a value, but some children had none;
 * - `failed` / `not-run`: no value, because the leaf (or, for a parent, some child) failed / was not run;
 * - `missing`: no value and no score record at all.
 */
export type NodeStatus = ScoreStatus | 'partial' | 'missing';

export type NodeValue = {
  value: number | null;
  status: NodeStatus;
  /** Direct children with a value (for a leaf: 1 when it has a value, else 0). */
  nScored: number;
  /** Direct children in the tree (0 for a leaf). */
  nChildren: number;
};

export type AggregateResult = { model: string; values: Record<string, NodeValue> };

export type AggregateOptions = {
  /** `zero`: a missing child counts as 0 (Brain-Score's convention); `skip`: mean of the children that have a value. */
  missing: 'zero' | 'skip';
};

export type CorrelationMethod = 'spearman' | 'pearson' | 'kendall';

/** Numeric input of the single-statistic functions: null / NaN entries are dropped pairwise. */
export type NumericInput = ArrayLike<number | null>;

export type CorrelationResult = {
  /** Pairwise-complete observations used. */
  n: number;
  coefficient: number | null;
  /** Two-sided p-value. */
  pValue: number | null;
  /** Why coefficient/pValue are null (`'n < 3'`, `'constant column'`...), else null. */
  reason: string | null;
};

export type KendallResult = CorrelationResult & {
  /** How the p-value was computed: the exact null distribution or the normal approximation. */
  pMethod: 'exact' | 'asymptotic' | null;
};

export type OlsResult = {
  n: number;
  slope: number | null;
  intercept: number | null;
  r2: number | null;
  fStatistic: number | null;
  fPValue: number | null;
  reason: string | null;
};

export type RankingAccuracyResult = {
  /** concordant / (concordant + discordant); null when no pair is untied on both variables. */
  accuracy: number | null;
  concordant: number;
  discordant: number;
  n: number;
};

/**
 * Percentile bootstrap over models: each resample draws the input rows (models) with replacement, and a
 * statistic uses the drawn rows that have every value it needs (pairwise-complete), so the resamples are
 * shared by all benchmarks of one `correlate` call and missingness is part of the sampling.
 */
export type BootstrapOptions = {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
};

export type BootstrapResult = {
  low: number | null;
  high: number | null;
  /** Resamples whose statistic was defined (a resample with a constant column is dropped). */
  used: number;
  reason: string | null;
};

export type CorrelateInput = { models: string[]; columns: Record<string, (number | null)[]> };

export type CorrelateOptions = {
  target: string;
  method: CorrelationMethod;
  /** A column (e.g. clean accuracy) to control for: adds partial Spearman to every row. */
  covariate?: string;
  /** Rows with fewer pairwise-complete models are never significant and get no q-value (default 8). */
  minN?: number;
  /** Significance level applied to the BH q-value (default 0.05). */
  alpha?: number;
  /** Percentile bootstrap of the chosen coefficient; `false` skips it (default: 1000 resamples, seed 0, 0.95). */
  bootstrap?: BootstrapOptions | false;
};

export type CorrelationRow = {
  benchmark: string;
  n: number;
  coefficient: number | null;
  pValue: number | null;
  qValue: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  rankingAccuracy: number | null;
  r2: number | null;
  fStatistic: number | null;
  fPValue: number | null;
  slope: number | null;
  intercept: number | null;
  partialCoefficient?: number | null;
  partialPValue?: number | null;
  significant: boolean;
  reason: string | null;
};

export type PredictOptions = {
  target: string;
  /** Feature columns (alignment benchmarks). */
  features: string[];
  /** k for k-fold cross-validation, or 'loo' (default 5). */
  folds?: number | 'loo';
  /** Ridge penalty on the mean squared error scale: minimise mean((y - Xw)^2) + lambda * |w|^2 (default 0.1). */
  lambda?: number;
  /** Seed of the fold assignment (default 0). */
  seed?: number;
};

export type PredictResult = {
  /** Models with a target value (the ones predicted). */
  n: number;
  folds: number;
  /** Held-out predictions (a rank-scale score in model order of `models`), null for models without a target. */
  predictions: (number | null)[];
  heldOutSpearman: number | null;
  heldOutRankingAccuracy: number | null;
  /** Weights of the ridge fitted on all models, on the rank scale (0..1), per feature; plus the intercept. */
  weights: Record<string, number>;
  intercept: number | null;
  reason: string | null;
};

/** The benchmarks a predictor uses and the candidates it leaves out (selectFeatures). */
export type FeatureChoice = {
  /** Features the predictor uses, in input order. */
  selected: string[];
  /** Candidates left out, with the reason. */
  dropped: { benchmark: string; reason: string }[];
};

/**
 * A study's result as `alignscope study run` computes and stores it (the `studies.result` column):
 * the one shape the evaluator writes and the API and the web pages read.
 */
export type StudyResult = {
  study: string;
  computedAt: string;
  models: string[];
  /** The analysed values, one per model of `models` (null: none), per column: for scatter plots and exports. */
  values: Record<string, (number | null)[]>;
  /**
   * The uncertainty interval stored with each analysed value ([low, high], e.g. the Clopper-Pearson 95 %
   * interval of a robust accuracy over its images), one per model of `models`, for the columns where some
   * value has one; null where the value has none (a tree node the board aggregates, e.g. average_vision, never does). For scatter-plot whiskers.
   */
  intervals: Record<string, ([number, number] | null)[]>;
  /** How the intervals of each column of `intervals` were computed: the scores' distinct `ciMethod` texts. */
  intervalMethods: Record<string, string[]>;
  /** Per robustness target: every benchmark's correlation row (coefficient, p, BH q, CI, ranking accuracy, n, OLS, partial). */
  correlations: { target: string; rows: CorrelationRow[] }[];
  /** The aggregates' rows against each target (OLS R^2 and F-test), for the scatter plots. */
  aggregates: {
    target: string;
    benchmark: string;
    n: number;
    r2: number | null;
    f: number | null;
    fP: number | null;
  }[];
  /** `targetValues`: each model's target value (model order of `models`), beside its held-out prediction. */
  predictor: { target: string; features: string[]; result: PredictResult; targetValues: (number | null)[] }[];
  provenance: Record<string, unknown>;
  /**
   * The planned scores that failed (or were cancelled) and so are missing from the analysis: the
   * result covers the cells that succeeded. Empty (or absent, in results stored before it existed)
   * when every score was computed.
   */
  failures?: StudyFailure[];
};

/** A planned score of a study that could not be computed. */
export type StudyFailure = {
  model: string;
  benchmark: string;
  /** The image limit it was planned with (null: the full image set). */
  limit: number | null;
  state: 'failed' | 'cancelled';
  /** The job's (or the in-process evaluation's) last error. */
  error: string | null;
};

/**
 * A stored study result as readers take it: results stored before `values`, `intervals` and
 * `targetValues` existed lack them.
 */
export type StoredStudyResult = Omit<
  StudyResult,
  'values' | 'intervals' | 'intervalMethods' | 'predictor'
> & {
  values?: StudyResult['values'];
  intervals?: StudyResult['intervals'];
  intervalMethods?: StudyResult['intervalMethods'];
  predictor: (Omit<StudyResult['predictor'][number], 'targetValues'> & {
    targetValues?: (number | null)[];
  })[];
};
