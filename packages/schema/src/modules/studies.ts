/**
 * Studies (a cohort x benchmarks x robustness settings x analysis, stored with its version) and the
 * cross-validated robustness predictor.
 */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    "Stored studies by name, newest version first (at most 100)."
    studies(
      "Only the latest version of each name."
      latestOnly: Boolean = true
      "At most this many (1 to 100)."
      first: Int = 50
    ): [Study!]!
    "One stored study version (definition, state, progress, jobs, result)."
    study("The study's identifier." id: ID!): Study
    """
    Can alignment benchmarks rank models by robustness? The cross-validated ridge predictor of
    @alignscope/analysis (on mid-ECDF ranks) over public models' board values: the benchmarks it
    uses (and the ones left out, with why), held-out pairwise ranking accuracy and Spearman rho, and
    every model's held-out prediction.
    """
    predictRobustness(
      "The benchmark to predict (typically a robustness benchmark), e.g. Gavrikov2024.PGD40-Linf-low."
      target: String!
      "Candidate features (benchmark identifiers, at most 100); default: every non-robustness leaf not related to the target."
      benchmarks: [String!]
      "Only these public models (identifiers, at most 2000); default: every public model."
      cohort: [String!]
      "A feature needs values for this many models that have a target value (3 to 100000)."
      minN: Int = 8
      "k of k-fold cross-validation (2 to 50); null for leave-one-out."
      folds: Int = 5
      "Ridge penalty (greater than 0, at most 1000)."
      lambda: Float = 0.1
      "Seed of the fold assignment."
      seed: Int = 0
      "How missing children count in aggregate nodes."
      missing: MissingPolicy = SKIP
    ): RobustnessPrediction!
  }

  extend type Mutation {
    """
    Runs a stored study again against the current scores: an evaluator worker plans it, enqueues the
    missing scores as jobs linked to the study, and computes its result when the last job ends. Admin
    keys, or a key that owns every model of the study's cohort.
    """
    runStudy("The study's identifier." id: ID!): RunStudyPayload!
  }

  "A study: a versioned definition, its last plan and state, progress over its jobs, and its result."
  type Study {
    "The study's identifier (one per name and version)."
    id: ID!
    "Its name (e.g. hoak2025)."
    name: String!
    "Its version: a changed definition under the same name is the next one."
    version: Int!
    "Its title."
    title: String!
    "What it asks and how."
    description: String!
    "The paper it reproduces, if any."
    reference: String
    "The validated definition (cohort, benchmarks, robustness settings, analysis)."
    definition: JSON!
    """
    defined, requested, running, interrupted, computed, done_with_failures (the result covers the
    scores that succeeded; \`failures\` lists the others, which running the study again retries) or
    failed (the run stopped on an error, see \`error\`).
    """
    status: String!
    "The last plan: cohort, benchmarks, every score current, missing or unavailable, time estimate."
    plan: JSON
    "Progress over the study's jobs, read now."
    progress: StudyProgress!
    "The evaluation jobs the study enqueued (at most 1000)."
    jobs("At most this many (1 to 1000)." first: Int = 200): [Job!]!
    "The planned scores whose job (or in-process evaluation) failed or was cancelled, read now, with the error of each."
    failures: [StudyFailure!]!
    "The computed result (null until computed)."
    result: StudyResult
    "Why the last run failed; for done_with_failures, a line naming the scores that failed."
    error: String
    "When this version was first stored."
    createdAt: DateTime!
    "When its state last changed."
    updatedAt: DateTime!
  }

  "A planned score of a study that failed: left out of its result, retried when the study runs again."
  type StudyFailure {
    "The model's identifier."
    model: String!
    "The benchmark."
    benchmark: String!
    "The image limit it was planned with (null: the whole image set)."
    limit: Int
    "failed or cancelled."
    state: String!
    "The last error."
    error: String
  }

  "A study's progress over its jobs."
  type StudyProgress {
    "Jobs the study enqueued."
    jobs: Int!
    "Jobs waiting for a worker."
    queued: Int!
    "Jobs running now."
    running: Int!
    "Jobs that succeeded."
    succeeded: Int!
    "Jobs that failed for good."
    failed: Int!
    "Jobs that were cancelled."
    cancelled: Int!
    "Share of the work done, 0 to 1 (each job's progress; an ended job counts 1)."
    fraction: Float!
    "Whether no job is queued or running."
    settled: Boolean!
    "Per model of the cohort with jobs."
    models: [StudyModelProgress!]!
    "The jobs running now, with their stage."
    runningJobs: [StudyRunningJob!]!
  }

  "One model's jobs in a study."
  type StudyModelProgress {
    "The model's identifier."
    model: String!
    "Its jobs."
    jobs: Int!
    "Of which succeeded."
    succeeded: Int!
    "Of which failed or were cancelled."
    failed: Int!
    "Share done, 0 to 1."
    fraction: Float!
  }

  "A running job of a study."
  type StudyRunningJob {
    "The job's identifier."
    jobId: ID!
    "The model's identifier."
    model: String!
    "The benchmark."
    benchmark: String!
    "Its current stage (e.g. images, apgd-ce, square)."
    stage: String
    "Share done, 0 to 1."
    fraction: Float!
    "Estimated seconds left."
    etaSeconds: Int
  }

  "A study's computed result."
  type StudyResult {
    "When it was computed."
    computedAt: DateTime!
    "The cohort, in the order of the predictions."
    models: [String!]!
    "Per robustness target (each eps), every benchmark's correlation row."
    correlations: [StudyCorrelationTable!]!
    "The aggregates' OLS fits against each target."
    aggregates: [StudyAggregateFit!]!
    "The cross-validated predictor per target."
    predictor: [StudyPredictor!]!
    "Settings and counts the result was computed with."
    provenance: JSON!
    """
    The analysed table, one column per robustness target, benchmark, aggregate and covariate, each with
    every cohort model's value and the interval stored with it: enough to redraw a scatter plot with its
    whiskers or to recompute a correlation by hand. Columns: targets first (as \`correlations\` lists
    them), then benchmarks (in the plan's order), aggregates, the covariate. Null for a result stored
    before the analysed values were kept (run the study again). Costed as columns x cells: page through
    a large table with \`first\` and \`offset\` here and on \`cells\`.
    """
    columns(
      "Only these columns (identifiers, at most 100); an identifier the result has no column for is left out."
      benchmarks: [String!]
      "Only columns that hold one of these roles."
      roles: [StudyColumnRole!]
      "Page size (0 to 100)."
      first: Int = 50
      "Columns to skip before the page (0 to 100000)."
      offset: Int = 0
    ): [StudyColumn!]
  }

  "What a column of a study's analysed table is in the analysis."
  enum StudyColumnRole {
    "A robustness target (one per eps): every other column is correlated with it."
    TARGET
    "An alignment benchmark of the study's plan (a leaf): a row of every correlation table."
    BENCHMARK
    "An aggregate reported with its OLS fit (\`aggregates\`)."
    AGGREGATE
    "The covariate of the partial correlations (e.g. clean accuracy)."
    COVARIATE
  }

  "One column of a study's analysed table: a benchmark's value for every model of the cohort."
  type StudyColumn {
    "The benchmark's identifier."
    benchmark: String!
    "What it is in the analysis: one role or more (a covariate can also be a benchmark, a leaf also an aggregate), in the order TARGET, BENCHMARK, AGGREGATE, COVARIATE."
    roles: [StudyColumnRole!]!
    "How its intervals were computed (the scores' distinct ciMethod texts, see Score.ciMethod); empty when none is stored (aggregates never have one, nor results stored before intervals were kept)."
    intervalMethods: [String!]!
    "Models of the cohort with a value (over the whole column, not one page)."
    n: Int!
    "Every model of the cohort in the order of StudyResult.models, with its value and interval."
    cells(
      "Page size (0 to 100)."
      first: Int = 100
      "Models to skip before the page (0 to 100000)."
      offset: Int = 0
    ): [StudyCell!]!
  }

  "One model's value in a column of a study's analysed table."
  type StudyCell {
    "The model's identifier."
    model: String!
    "The value the analysis used (aggregated as the board does; a limited run's value for a benchmark planned with an image limit); null when the model has none."
    value: Float
    "Lower end of the interval stored with the value (e.g. the Clopper-Pearson 95 % interval of a robust accuracy over its images); null when none was stored, and then ciHigh is null too."
    ciLow: Float
    "Upper end of that interval."
    ciHigh: Float
  }

  "Every benchmark's correlation with one robustness target."
  type StudyCorrelationTable {
    "The robustness benchmark."
    target: String!
    "One row per benchmark."
    rows: [StudyCorrelationRow!]!
  }

  "How one benchmark relates to a study's target."
  type StudyCorrelationRow {
    "The benchmark's identifier."
    benchmark: String!
    "Models with both values."
    n: Int!
    "The correlation coefficient."
    coefficient: Float
    "Its two-sided p-value."
    pValue: Float
    "Benjamini-Hochberg q-value."
    qValue: Float
    "Lower end of the bootstrap confidence interval."
    ciLow: Float
    "Upper end of that interval."
    ciHigh: Float
    "Share of model pairs ordered as by the target."
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
    "Partial coefficient given the covariate (null without one)."
    partialCoefficient: Float
    "Its p-value."
    partialPValue: Float
    "Whether the q-value is below 0.05."
    significant: Boolean!
    "Why statistics are null, else null."
    reason: String
  }

  "An aggregate's OLS fit against a target."
  type StudyAggregateFit {
    "The robustness benchmark."
    target: String!
    "The aggregate benchmark."
    benchmark: String!
    "Models with both values."
    n: Int!
    "R squared."
    r2: Float
    "F statistic."
    f: Float
    "p-value of the F test."
    fP: Float
  }

  "A study's predictor of one target."
  type StudyPredictor {
    "The robustness benchmark predicted."
    target: String!
    "The benchmarks it uses."
    features: [String!]!
    "Models with a target value."
    n: Int!
    "Cross-validation folds."
    folds: Int!
    "Held-out pairwise ranking accuracy."
    heldOutRankingAccuracy: Float
    "Held-out Spearman rho."
    heldOutSpearman: Float
    "Every model's held-out prediction."
    predictions: [HeldOutPrediction!]!
  }

  "One model's held-out prediction (rank scale, 0 to 1)."
  type HeldOutPrediction {
    "The model's identifier."
    model: String!
    "Its target value (null when it has none)."
    target: Float
    "Its held-out prediction."
    prediction: Float!
  }

  "A benchmark the predictor left out."
  type DroppedFeature {
    "The benchmark."
    benchmark: String!
    "Why (too few values, constant)."
    reason: String!
  }

  "A feature's weight in the ridge fitted on every model (rank scale)."
  type FeatureWeight {
    "The benchmark."
    benchmark: String!
    "Its weight."
    weight: Float!
  }

  "The result of predictRobustness."
  type RobustnessPrediction {
    "The benchmark predicted."
    target: String!
    "The benchmarks the predictor uses (values for at least minN models with a target, not constant)."
    selected: [String!]!
    "Candidates left out, with why."
    dropped: [DroppedFeature!]!
    "Models with a target value."
    n: Int!
    "Cross-validation folds used (n for leave-one-out)."
    folds: Int!
    "Held-out pairwise ranking accuracy: the share of model pairs the cross-validated predictions order as the target."
    heldOutRankingAccuracy: Float
    "Held-out Spearman rho of predictions and target."
    heldOutSpearman: Float
    "Weights of the ridge fitted on every model."
    weights: [FeatureWeight!]!
    "Every model's held-out prediction, best predicted first."
    predictions: [HeldOutPrediction!]!
    "Why statistics are null (e.g. too few models), else null."
    reason: String
  }

  "The result of runStudy."
  type RunStudyPayload {
    "Whether the study was handed to the evaluator workers."
    ok: Boolean!
    "The study after the change."
    study: Study
    "Why nothing changed (unknown study, not allowed, no worker)."
    errors: [UserError!]!
  }
`;
