/** The benchmark tree and each benchmark's scores. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    "The benchmark tree: its roots (average_vision, engineering_vision, robustness...) or, with root, that subtree."
    benchmarks("Identifier of the subtree's root; omitted: every root." root: String): [Benchmark!]!
    """
    One benchmark or aggregate node by identifier; null when there is none (or, with asOf, when it was
    added later). With asOf its version is the one it had then; with asOf and/or sourceOrder its scores
    are the values chosen under them.
    """
    benchmark(
      "The benchmark's identifier."
      identifier: String!
      "The benchmark as of this time: its version then and the values recorded by then (default: now)."
      asOf: DateTime
      "Which source's value a score shows (see Score.history for the rule); default [EVALUATION, SUBMISSION, IMPORT]."
      sourceOrder: [ScoreSource!]
    ): Benchmark
  }

  "A benchmark (a leaf with scores) or an aggregate node of the benchmark tree."
  type Benchmark {
    "Brain-Score's identifier where one exists, e.g. MajajHong2015.IT-pls or AutoAttack-Linf-1/255."
    identifier: String!
    "Current version (under benchmark(asOf): the version then); scores of other versions are not shown."
    version: Int!
    "Name for display (the identifier when none is set)."
    displayName: String!
    "Which domain the benchmark measures."
    domain: BenchmarkDomain!
    "The parent node (null for a root)."
    parent: Benchmark
    "Direct children, in catalog order (empty for a leaf)."
    children: [Benchmark!]!
    "Whether this is a leaf (scores are written to leaves; parents are aggregated)."
    isLeaf: Boolean!
    "What the score measures and how it is computed."
    metric: String
    "The ceiling raw scores are divided by (null when the benchmark is not ceiled)."
    ceiling: Float
    "Lowest valid raw value (submissions outside [rangeMin, rangeMax] are refused)."
    rangeMin: Float
    "Highest valid raw value."
    rangeMax: Float
    "A sentence on the benchmark."
    description: String
    "The paper the benchmark comes from."
    reference: String
    "Benchmark parameters (for robustness: attack, norm, eps, profile, version, dataset)."
    parameters: JSON!
    "Public models' scores on this benchmark, ordered by model identifier (at most 100 per page)."
    scores("Page size, 0 to 100." first: Int = 20, "The endCursor of the previous page." after: String): ScoreConnection!
  }

  "A page of scores."
  type ScoreConnection {
    "Scores over all pages."
    totalCount: Int!
    "Pagination state."
    pageInfo: PageInfo!
    "The scores of this page with their cursors."
    edges: [ScoreEdge!]!
  }

  "A score and its position in a listing."
  type ScoreEdge {
    "Opaque position of this score."
    cursor: String!
    "The score."
    node: Score!
  }
`;
