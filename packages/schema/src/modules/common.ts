/** Scalars, enums and types shared by every module. */
export const typeDefs = /* GraphQL */ `
  "An instant as an ISO-8601 string in UTC, e.g. 2025-02-18T12:00:00.000Z."
  scalar DateTime

  "Any JSON value (objects of configuration, environment, artifacts and parameters)."
  scalar JSON

  "Read access to models, benchmarks, scores, the leaderboard and the correlation statistics."
  type Query {
    "The API's version string."
    apiVersion: String!
  }

  "Relay pagination state of a connection."
  type PageInfo {
    "Whether a further page exists after endCursor."
    hasNextPage: Boolean!
    "Whether a page exists before startCursor (always false: pagination runs forward only)."
    hasPreviousPage: Boolean!
    "Opaque cursor of the first edge of this page (null when the page is empty)."
    startCursor: String
    "Opaque cursor of the last edge; pass it as \`after\` to get the next page (null when the page is empty)."
    endCursor: String
  }

  "Where a benchmark sits: aggregate nodes of the tree, the alignment domains, engineering and robustness."
  enum BenchmarkDomain {
    "A node whose score is the equal-weight mean of its direct children."
    AGGREGATE
    "Neural alignment (e.g. PLS predictivity of V1/V2/V4/IT recordings)."
    NEURAL
    "Behavioral alignment (e.g. error consistency with humans)."
    BEHAVIORAL
    "Task performance (e.g. ImageNet top-1, shape bias); raw scores."
    ENGINEERING
    "Adversarial robustness (AutoAttack robust accuracy)."
    ROBUSTNESS
  }

  "The state of a score: never folded into one another."
  enum ScoreStatus {
    "A value was produced."
    SCORED
    "The benchmark ran and failed."
    FAILED
    "The benchmark was not run for this model."
    NOT_RUN
  }

  "How a missing child counts when a parent is aggregated."
  enum MissingPolicy {
    "A missing child counts as 0 (Brain-Score's convention)."
    ZERO
    "The mean of the children that have a value."
    SKIP
  }

  "The state of an aggregated value."
  enum NodeStatus {
    "A value from every direct child (or a scored leaf)."
    SCORED
    "A value, but some children had none."
    PARTIAL
    "No value because the leaf (or, for a parent, a child) failed."
    FAILED
    "No value because the leaf (or, for a parent, a child) was not run."
    NOT_RUN
    "No value and no score record at all."
    MISSING
  }

  "Machine-readable reason of an expected failure returned in a mutation payload."
  enum UserErrorCode {
    "No Authorization header, or a key that is unknown or revoked."
    UNAUTHENTICATED
    "The key may not write this model (it belongs to another key; admin keys write all)."
    FORBIDDEN
    "The input is malformed (sizes, lengths, characters, duplicates, a missing value)."
    VALIDATION_FAILED
    "No benchmark has this identifier."
    UNKNOWN_BENCHMARK
    "No public model has this identifier."
    UNKNOWN_MODEL
    "A value lies outside the benchmark's valid range or is not finite."
    OUT_OF_RANGE
    "Scores are written to leaf benchmarks; aggregates are computed."
    NOT_A_LEAF
    "The model has no ONNX file, so the platform cannot evaluate it."
    MODEL_NOT_EVALUABLE
    "No evaluator worker runs this benchmark, or it needs another label space than the model's."
    NOT_EVALUABLE
    "No job has this id."
    UNKNOWN_JOB
    "The job is in a state that does not allow this (e.g. cancelling a finished job)."
    INVALID_STATE
    "The key's daily quota of evaluation jobs or compute seconds is used up (admin keys have none)."
    QUOTA_EXCEEDED
    "No stored study has this id."
    UNKNOWN_STUDY
  }

  "An expected failure of a mutation, returned as data."
  type UserError {
    "What went wrong, as a stable code."
    code: UserErrorCode!
    "A one-line explanation for people."
    message: String!
    "The input path of the offending value, e.g. [\\"input\\", \\"scores\\", \\"2\\", \\"value\\"]; empty for the whole request."
    path: [String!]!
  }
`;
