/** The Brain-Score style leaderboard. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    """
    Models ranked by the aggregate score of a node of the benchmark tree (Brain-Score aggregation: a
    parent is the equal-weight mean of its direct children, leaf ceiled scores clipped to [0, 1],
    engineering raw). Ties share a rank (1, 2, 2, 4); models without a value come last, unranked.
    """
    leaderboard(
      "The node to rank by, e.g. average_vision, neural_vision, behavior_vision, engineering_vision."
      root: String! = "average_vision"
      "Whether a missing child counts as 0 (Brain-Score) or is skipped."
      missing: MissingPolicy = ZERO
      "Page size, 0 to 100."
      first: Int = 50
      "The endCursor of the previous page."
      after: String
      "The board as of this time: the score versions recorded by then, each benchmark at its version then (default: now)."
      asOf: DateTime
      "Which source's value each cell shows, e.g. [IMPORT, EVALUATION] for the published values first (default [EVALUATION, SUBMISSION, IMPORT]; a scored value still goes before a failed one, then the newest)."
      sourceOrder: [ScoreSource!]
    ): LeaderboardConnection!
  }

  "A page of the leaderboard."
  type LeaderboardConnection {
    "The node ranked by."
    root: Benchmark!
    "The policy for missing children used."
    missing: MissingPolicy!
    "The root's direct children: the columns of every row's children, in this order."
    columns: [Benchmark!]!
    "Ranked rows over all pages (every public model)."
    totalCount: Int!
    "Pagination state."
    pageInfo: PageInfo!
    "The rows of this page."
    edges: [LeaderboardEdge!]!
  }

  "A leaderboard row and its position."
  type LeaderboardEdge {
    "Opaque position of this row."
    cursor: String!
    "The row."
    node: LeaderboardRow!
  }

  "One model's place on the leaderboard."
  type LeaderboardRow {
    "Competition rank (1, 2, 2, 4) by score, descending; null when the model has no score."
    rank: Int
    "The model."
    model: Model!
    "The aggregate score of the root for this model."
    score: Float
    "The state of the aggregate score."
    status: NodeStatus!
    "The root's direct children for this model, in the order of columns."
    children: [LeaderboardCell!]!
  }

  "The value of one benchmark node for one model."
  type LeaderboardCell {
    "The node."
    benchmark: Benchmark!
    "Its (aggregated) value; null when there is none."
    value: Float
    "The state of the value."
    status: NodeStatus!
  }
`;
