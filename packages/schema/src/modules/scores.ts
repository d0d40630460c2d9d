/** Scores and the runs that produced them. */
export const typeDefs = /* GraphQL */ `
  "The result of one model on one benchmark (at the benchmark's current version)."
  type Score {
    "The model."
    model: Model!
    "The benchmark."
    benchmark: Benchmark!
    "The benchmark version the score belongs to."
    benchmarkVersion: Int!
    "SCORED, FAILED or NOT_RUN."
    status: ScoreStatus!
    "The score shown on the leaderboard: the ceiled value when the benchmark is ceiled, else the raw value."
    value: Float
    "The value before ceiling."
    rawValue: Float
    "The value divided by the ceiling (Brain-Score's convention), when ceiled."
    ceiledValue: Float
    "Standard error of the value, when known."
    standardError: Float
    "Standard error of the value (the old name: 'error' means a failure message on runs)."
    error: Float @deprecated(reason: "Use standardError.")
    "The ceiling used for this score."
    ceiling: Float
    "Lower bound of the uncertainty interval of value (null when there is none; ciMethod says why)."
    ciLow: Float
    "Upper bound of the uncertainty interval of value."
    ciHigh: Float
    "How the interval was obtained: 'clopper-pearson 95%' (accuracies, robust accuracies), a bootstrap over trials with its resamples and seed (shape bias, error consistency), the source's error ('source error: …'), or 'none: …' when the source gives none. Null for scores written before intervals were recorded."
    ciMethod: String
    "The run that produced the current value (null when unknown)."
    run: Run
    "Who wrote the current value (null for values written before sources were recorded, without a run)."
    source: ScoreSource
    """
    Every value written to this cell (model, benchmark, version), oldest first: evaluations, imports and
    submissions each keep theirs. The current value is chosen by the rule: a scored value before a
    failed or not-run one; then EVALUATION, SUBMISSION, IMPORT; then the newest.
    """
    history(
      "Only the versions recorded by this time."
      asOf: DateTime
    ): [ScoreVersion!]!
    "When the score was last written."
    updatedAt: DateTime!
  }

  "Who wrote a score version."
  enum ScoreSource {
    "The platform's own evaluation (or attack)."
    EVALUATION
    "A submission through the API."
    SUBMISSION
    "An import of published results."
    IMPORT
  }

  "One value written to a score cell; versions are never overwritten."
  type ScoreVersion {
    "Who wrote it (null: before sources were recorded, without a run)."
    source: ScoreSource
    "The benchmark version the source itself named, when it named one (e.g. Brain-Score's 2)."
    sourceBenchmarkVersion: String
    "SCORED, FAILED or NOT_RUN."
    status: ScoreStatus!
    "The ceiled value when ceiled, else the raw value."
    value: Float
    "The value before ceiling."
    rawValue: Float
    "The value divided by the ceiling, when ceiled."
    ceiledValue: Float
    "The uncertainty the writer gave, when known."
    error: Float
    "Lower bound of the value's uncertainty interval."
    ciLow: Float
    "Upper bound of the value's uncertainty interval."
    ciHigh: Float
    "How the interval was obtained (see Score.ciMethod)."
    ciMethod: String
    "The run that wrote it."
    run: Run
    "When it was written."
    recordedAt: DateTime!
  }

  "Why a cell's current value changed."
  enum ChangeReason {
    "The cell's first value."
    FIRST_VALUE
    "The first value on a new version of the benchmark (the model had a value on an earlier version)."
    NEW_BENCHMARK_VERSION
    "A value from another source than before became current."
    NEW_SOURCE
    "A new run of the same source."
    NEW_RUN
  }

  "A cell whose current value changed between two times."
  type ScoreChange {
    "The model."
    model: Model!
    "The benchmark."
    benchmark: Benchmark!
    "The benchmark version of the cell."
    benchmarkVersion: Int!
    "The current value at since (null when there was none)."
    before: ScoreVersion
    "The current value at until."
    after: ScoreVersion!
    "Why it changed."
    reason: ChangeReason!
  }

  extend type Query {
    "Cells of public models whose current value changed after since and up to until (default now), oldest first."
    changes(
      "Changes recorded after this time."
      since: DateTime!
      "Changes recorded up to this time (default: now)."
      until: DateTime
      "At most this many changes, 1 to 1000."
      first: Int = 100
    ): [ScoreChange!]!
  }

  "What produced a run's scores."
  enum RunKind {
    "The platform evaluated an ONNX model on a benchmark."
    EVALUATION
    "The platform ran an adversarial attack."
    ATTACK
    "Results imported from a published source (e.g. Brain-Score, RobustBench)."
    IMPORT
    "Results submitted through the API."
    SUBMISSION
  }

  "The state of a run."
  enum RunStatus {
    "Still running."
    RUNNING
    "Finished and produced its results."
    SUCCEEDED
    "Finished with an error."
    FAILED
  }

  "Who or what produced scores, with its configuration, environment, timings and artifacts."
  type Run {
    "Run id."
    id: ID!
    "Evaluation, attack, import or submission."
    kind: RunKind!
    "Running, succeeded or failed."
    status: RunStatus!
    "The program or source that produced it, e.g. alignscope-evaluator or the submitter's tool."
    producer: String!
    "Its version."
    producerVersion: String
    "Configuration (attack profile, eps, seed, image manifest...)."
    configuration: JSON!
    "Environment (package versions, execution provider...)."
    environment: JSON!
    "When it started."
    startedAt: DateTime!
    "When it finished (null while running)."
    finishedAt: DateTime
    "Detailed outputs (per-attack accuracies, per-image flags...)."
    artifacts: JSON!
    "The error message of a failed run."
    errorMessage: String
    "The error message of a failed run (the old name: 'error' means a standard error on scores)."
    error: String @deprecated(reason: "Use errorMessage.")
    "What the score was computed from (evaluation runs): evaluator version and source commit, the data bundle's version, and the sha256 of the image set and of every human trial or decisions file read. Null for runs that recorded none (imports, submissions, older runs)."
    provenance: RunProvenance
  }

  "Reproducibility record of an evaluation run."
  type RunProvenance {
    "The evaluator's version (apps/evaluator package.json)."
    evaluatorVersion: String!
    "The git commit of the evaluator's source; 'unknown' outside a git checkout (never guessed)."
    sourceCommit: String!
    "True when tracked files differed from that commit; null when unknown."
    sourceDirty: Boolean
    "The data bundle's version: the sha256 of its README.md (which lists every source commit); 'unknown' without one."
    dataBundleVersion: String!
    "The sha256 of the image set used: one line per image in order, <path relative to the bundle> TAB <label> TAB <sha256 of the file>. Null when no images were read (recorded decisions)."
    imageSetSha256: String
    "The number of images in that set."
    imageCount: Int
    "Every human trial file a behavioral score read."
    humanTrialFiles: [FileHash!]!
    "Every recorded-decisions file read instead of running a model."
    decisionFiles: [FileHash!]!
  }

  "A file and its sha256."
  type FileHash {
    "Path relative to the data bundle (absolute when outside it)."
    file: String!
    "Hex sha256 of its bytes."
    sha256: String!
  }
`;
