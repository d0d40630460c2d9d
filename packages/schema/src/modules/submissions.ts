/** Authenticated writes: results submissions and evaluation requests. */
export const typeDefs = /* GraphQL */ `
  """
  Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
  \`alignscope keys create\`). Expected failures come back in the payload's errors, with nothing written.
  """
  type Mutation {
    """
    Submits results computed elsewhere for one model, all or nothing. A key creates the model if it
    does not exist (and then owns it) or writes a model it owns; admin keys write every model.
    Re-sending the same payload with the same key changes nothing (duplicate: true).
    """
    submitResults(input: SubmitResultsInput!): SubmitResultsPayload!
    """
    Asks the platform's evaluator to run benchmarks on a model it holds an ONNX file of (owner or
    admin): records the request and one job per benchmark on the Postgres queue. A benchmark no
    evaluator worker runs, or of another label space than the model's, is refused (NOT_EVALUABLE),
    and nothing is queued; a benchmark already scored for the same model file is not run again
    unless \`force\` is set. A key other than an admin key has a daily quota of jobs requested and of
    compute seconds used; a request beyond it is refused (QUOTA_EXCEEDED) and nothing is queued.
    """
    requestEvaluation(
      "Identifier of the model."
      model: String!
      "Leaf benchmark identifiers to run (1 to 200)."
      benchmarks: [String!]!
      "Run again the benchmarks already scored for this model file (as the CLI's --force)."
      force: Boolean = false
    ): RequestEvaluationPayload!
  }

  "A results submission."
  input SubmitResultsInput {
    "The model: its identifier and any metadata to set."
    model: ModelInput!
    "Scores of leaf benchmarks (at most 500, each benchmark once)."
    scores: [ScoreInput!]!
    "How the scores were produced."
    provenance: ProvenanceInput
  }

  "A model's identifier and metadata (strings up to 200 characters)."
  input ModelInput {
    "1 to 100 characters: letters, digits and . _ - : / + @"
    identifier: String!
    "Name for display (default: the identifier)."
    displayName: String
    "Network architecture."
    architecture: String
    "Model family."
    family: String
    "Training regime: standard, adversarial, self-supervised, shape-biased..."
    trainingRegime: String
    "Training data set."
    trainingData: String
    "Number of parameters (a non-negative integer)."
    parameters: Float
    "Where the model comes from."
    source: String
    "Licence."
    license: String
  }

  "One score of a submission."
  input ScoreInput {
    "Identifier of a leaf benchmark."
    benchmark: String!
    "SCORED (needs value), FAILED or NOT_RUN."
    status: ScoreStatus = SCORED
    "The score: the ceiled score of a neural or behavioral benchmark with a ceiling, else the raw score; within the benchmark's [rangeMin, rangeMax]."
    value: Float
    "The value before ceiling, within the benchmark's [rangeMin, rangeMax]."
    rawValue: Float
    "Uncertainty of the value (non-negative)."
    error: Float
    "The ceiling used (positive)."
    ceiling: Float
    "Lower bound of an uncertainty interval around value (with ciHigh and ciMethod; must contain the value). Without one, error becomes a ±1 error band, else the score is stored without an interval."
    ciLow: Float
    "Upper bound of the interval."
    ciHigh: Float
    "How the interval was computed (e.g. 'clopper-pearson 95%'), stored as 'submitted: <text>'."
    ciMethod: String
  }

  "Provenance of submitted scores, stored with the run."
  input ProvenanceInput {
    "The tool that computed the scores (default: submission)."
    producer: String
    "Its version."
    producerVersion: String
    "Configuration (seed, images, attack profile...); at most 16 kB as JSON."
    configuration: JSON
    "Environment (package versions, hardware...); at most 16 kB as JSON."
    environment: JSON
  }

  "The result of submitResults."
  type SubmitResultsPayload {
    "Whether the submission was accepted (then every score was written)."
    ok: Boolean!
    "Whether this key had already submitted exactly this payload (nothing was written again)."
    duplicate: Boolean!
    "The model written."
    model: Model
    "The scores as stored, in submission order."
    scores: [Score!]!
    "The submission record."
    submission: Submission
    "Why the submission was refused (empty when ok)."
    errors: [UserError!]!
  }

  "An accepted submission."
  type Submission {
    "Submission id."
    id: ID!
    "SHA-256 of the canonical JSON of the input (hex)."
    payloadSha256: String!
  }

  "The result of requestEvaluation."
  type RequestEvaluationPayload {
    "Whether the request was recorded."
    ok: Boolean!
    "The recorded request."
    request: EvaluationRequest
    "Why the request was refused (empty when ok)."
    errors: [UserError!]!
  }

  "A request to evaluate a model on benchmarks."
  type EvaluationRequest {
    "Request id."
    id: ID!
    "The model to evaluate."
    model: Model!
    "The benchmarks to run."
    benchmarks: [Benchmark!]!
    "Derived from its jobs: queued, running, done (every job succeeded), failed (some job failed) or cancelled."
    status: String!
    "When it was requested."
    createdAt: DateTime!
  }
`;
