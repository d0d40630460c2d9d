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
    "Standard error or similar uncertainty of the value, when known."
    error: Float
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
    "When the score was last written."
    updatedAt: DateTime!
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
    error: String
  }
`;
