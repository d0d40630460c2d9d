/** Which benchmarks predict robustness: correlation statistics and scatter data. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    """
    One row per benchmark node (leaves and aggregates) that some public model has a value for: how it
    correlates, over public models with both values, with the target benchmark (typically a robustness
    benchmark). The target's ancestors (aggregates that contain it) and its sibling robustness
    benchmarks are not predictors and are left out unless includeRelated is true. Benjamini-Hochberg
    q-values are taken across the predictor rows with n >= minN.
    """
    correlations(
      "Identifier of the benchmark to correlate with, e.g. AutoAttack-Linf-1/255."
      target: String!
      "Correlation coefficient."
      method: CorrelationMethod = SPEARMAN
      "A benchmark to control for (e.g. ImageNet-top1): adds partial Spearman coefficients."
      covariate: String
      "Rows with fewer pairwise-complete models are never significant and get no q-value."
      minN: Int = 8
      "How missing children count in aggregate nodes."
      missing: MissingPolicy = SKIP
      "Bootstrap resamples of the confidence interval, 0 to 2000 (0: no interval)."
      bootstrap: Int = 1000
      """
      Also list the target's ancestors and sibling robustness benchmarks, after the predictors, marked
      by relation and without a q-value.
      """
      includeRelated: Boolean = false
      "The board as of this time: the score versions recorded by then, each benchmark at its version then (default: now)."
      asOf: DateTime
      "Which source's value each cell shows, e.g. [IMPORT, EVALUATION] for the published values first (default [EVALUATION, SUBMISSION, IMPORT]; a scored value still goes before a failed one, then the newest)."
      sourceOrder: [ScoreSource!]
    ): [CorrelationRow!]!
    "The paired values of two benchmark nodes over public models that have both (for scatter plots)."
    scatter(
      "Benchmark identifier of the x axis."
      x: String!
      "Benchmark identifier of the y axis."
      y: String!
      "How missing children count in aggregate nodes."
      missing: MissingPolicy = SKIP
      "The board as of this time: the score versions recorded by then, each benchmark at its version then (default: now)."
      asOf: DateTime
      "Which source's value each cell shows, e.g. [IMPORT, EVALUATION] for the published values first (default [EVALUATION, SUBMISSION, IMPORT]; a scored value still goes before a failed one, then the newest)."
      sourceOrder: [ScoreSource!]
    ): [ScatterPoint!]!
  }

  "Correlation coefficients."
  enum CorrelationMethod {
    "Spearman's rank correlation rho."
    SPEARMAN
    "Pearson's product-moment correlation r."
    PEARSON
    "Kendall's tau-b."
    KENDALL
  }

  "Why a benchmark node is not a candidate predictor of the target."
  enum PredictorRelation {
    "The node contains the target (e.g. the robustness aggregate): it averages the target itself."
    ANCESTOR
    "Another robustness benchmark beside the target: it measures the same property, not alignment."
    SIBLING
  }

  "How one benchmark relates to the target."
  type CorrelationRow {
    "The benchmark correlated with the target."
    benchmark: Benchmark!
    "Models with both values (pairwise complete)."
    n: Int!
    "The chosen correlation coefficient."
    coefficient: Float
    "Its two-sided p-value."
    pValue: Float
    "Benjamini-Hochberg q-value across benchmarks (null when n < minN)."
    qValue: Float
    "Lower end of the percentile bootstrap confidence interval of the coefficient."
    ciLow: Float
    "Upper end of that interval."
    ciHigh: Float
    "Share of model pairs the benchmark orders the same way as the target."
    rankingAccuracy: Float
    "R squared of the OLS fit of the target on the benchmark."
    r2: Float
    "F statistic of that fit."
    fStatistic: Float
    "p-value of the F test."
    fPValue: Float
    "OLS slope."
    slope: Float
    "OLS intercept."
    intercept: Float
    "Partial Spearman coefficient controlling for the covariate (null without one)."
    partialCoefficient: Float
    "Its p-value."
    partialPValue: Float
    "Whether qValue is below 0.05."
    significant: Boolean!
    "Why statistics are null (e.g. n < 3, constant column), else null."
    reason: String
    "Null for a predictor; for a row listed by includeRelated, how it relates to the target."
    relation: PredictorRelation
  }

  "One model's pair of values."
  type ScatterPoint {
    "The model."
    model: Model!
    "Its value on the x benchmark."
    x: Float!
    "Its value on the y benchmark."
    y: Float!
  }
`;
