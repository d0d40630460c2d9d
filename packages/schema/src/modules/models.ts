/** Models: the connection of public models, one model, and a model's scores and robustness. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    "Public models as a Relay connection: at most 100 per page (first <= 100), filtered and ordered."
    models(
      "Page size, 0 to 100."
      first: Int = 20
      "The endCursor of the previous page."
      after: String
      "Restricts the models listed."
      filter: ModelFilter
      "Sort order."
      orderBy: ModelOrder = IDENTIFIER_ASC
    ): ModelConnection!
    """
    One public model by identifier; null when there is none (or, with asOf, when it was added later).
    With asOf and/or sourceOrder its scores and robustness are the values chosen under them.
    """
    model(
      "The model's identifier."
      identifier: String!
      "The model as of this time: each score the value chosen among the versions recorded by then, each benchmark at its version then (default: now)."
      asOf: DateTime
      "Which source's value a score shows (see Score.history for the rule); default [EVALUATION, SUBMISSION, IMPORT]."
      sourceOrder: [ScoreSource!]
    ): Model
  }

  "Restricts a model listing; all given conditions must hold."
  input ModelFilter {
    "Case-insensitive substring of the identifier or display name."
    search: String
    "Exact model family, e.g. ResNet."
    family: String
    "Exact training regime, e.g. standard, adversarial, self-supervised, shape-biased."
    trainingRegime: String
    "Only models with a SCORED result on this benchmark identifier."
    hasScoreFor: String
  }

  "Sort orders of a model listing."
  enum ModelOrder {
    "Identifier, A to Z."
    IDENTIFIER_ASC
    "Identifier, Z to A."
    IDENTIFIER_DESC
    "Most recently added first."
    CREATED_AT_DESC
  }

  "A page of models."
  type ModelConnection {
    "Models matching the filter, over all pages."
    totalCount: Int!
    "Pagination state."
    pageInfo: PageInfo!
    "The models of this page with their cursors."
    edges: [ModelEdge!]!
  }

  "A model and its position in a listing."
  type ModelEdge {
    "Opaque position of this model; pass it as after to continue after it."
    cursor: String!
    "The model."
    node: Model!
  }

  "A vision model with its metadata and results."
  type Model {
    "Stable identifier (Brain-Score's name where one exists), e.g. resnet50."
    identifier: String!
    "Name for display."
    displayName: String!
    "Network architecture, e.g. ResNet-50."
    architecture: String
    "Model family, e.g. ResNet."
    family: String
    "How it was trained: standard, adversarial, self-supervised, shape-biased..."
    trainingRegime: String
    "Training data set, e.g. ImageNet-1k."
    trainingData: String
    "Number of parameters (a Float, since counts exceed 32-bit integers)."
    parameters: Float
    "Where the model comes from (a URL or a citation)."
    source: String
    "The model's licence."
    license: String
    "Name of the API key that owns the model (null for imported models)."
    submittedBy: String
    "Whether the platform holds an ONNX file of the model and so can evaluate it."
    evaluable: Boolean!
    "When the model was added."
    createdAt: DateTime!
    "The model's scores at each benchmark's current version (under model(asOf, sourceOrder): the values chosen under them), in catalog order."
    scores(filter: ScoreFilter): [Score!]!
    "The model's adversarial robustness results (robustness-domain scores with their attack parameters)."
    robustness: [RobustnessResult!]!
  }

  "Restricts a model's scores; all given conditions must hold."
  input ScoreFilter {
    "Only benchmarks of this domain."
    domain: BenchmarkDomain
    "Only these benchmark identifiers."
    benchmarks: [String!]
    "Only scores in this state."
    status: ScoreStatus
  }

  "A robust accuracy under one AutoAttack configuration."
  type RobustnessResult {
    "The robustness benchmark."
    benchmark: Benchmark!
    "The underlying score (status, values, run)."
    score: Score!
    "Robust accuracy in [0, 1]; null unless the score is SCORED."
    robustAccuracy: Float
    "Threat model norm: Linf or L2."
    norm: String
    "Perturbation budget on the [0, 1] pixel scale."
    eps: Float
    "The budget as written in the identifier, e.g. 1/255."
    epsLabel: String
    "Attack configuration: reference (fra31/auto-attack) or torchattacks."
    profile: String
    "Image data set: imagenet or cifar10."
    dataset: String
  }
`;
