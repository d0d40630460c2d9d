/** Evaluation jobs: one (model, benchmark, configuration) on the Postgres queue. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    "Evaluation jobs, newest first (at most 100 per page)."
    jobs(
      "Only jobs in this state: queued, running, succeeded, failed or cancelled."
      state: String
      "Only jobs of this model (identifier)."
      model: String
      first: Int = 50
      offset: Int = 0
    ): [Job!]!
    "One evaluation job."
    job(id: ID!): Job
  }

  extend type Mutation {
    "Cancels a queued or running job (a key that requested it, or an admin key)."
    cancelJob(id: ID!): JobPayload!
    "Queues a failed or cancelled job again with fresh attempts; it resumes from its checkpoint."
    retryJob(id: ID!): JobPayload!
  }

  extend type Model {
    "Evaluation jobs of this model, newest first."
    jobs(first: Int = 20): [Job!]!
  }

  extend type EvaluationRequest {
    "The jobs of this request (one per benchmark)."
    jobs: [Job!]!
  }

  "What a running job last reported."
  type JobProgress {
    "Share done, 0 to 1."
    fraction: Float!
    "Current stage (e.g. clean, apgd-ce, apgd-t, fab-t, square for AutoAttack)."
    stage: String!
    "Estimated seconds left (null until it can be estimated)."
    etaSeconds: Int
    "When this was reported."
    updatedAt: DateTime!
  }

  "One evaluation of a model on a benchmark with a configuration."
  type Job {
    id: ID!
    model: Model!
    "Benchmark identifier."
    benchmark: String!
    benchmarkVersion: Int!
    "Settings that change the score (e.g. an image limit); {} for the platform defaults."
    configuration: JSON!
    "queued, running, succeeded, failed or cancelled."
    state: String!
    priority: Int!
    attempts: Int!
    maxAttempts: Int!
    progress: JobProgress
    "Whether a checkpoint is saved (a restarted job resumes from it)."
    hasCheckpoint: Boolean!
    "The error of the last failed attempt."
    error: String
    "The run that produced the score (once succeeded)."
    run: Run
    computeSeconds: Float!
    createdAt: DateTime!
    startedAt: DateTime
    finishedAt: DateTime
  }

  "The result of cancelJob or retryJob."
  type JobPayload {
    ok: Boolean!
    job: Job
    errors: [UserError!]!
  }
`;
