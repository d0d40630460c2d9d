/** Evaluation jobs: one (model, benchmark, configuration) on the Postgres queue. */
export const typeDefs = /* GraphQL */ `
  extend type Query {
    "Evaluation jobs, newest first (at most 100 per page)."
    jobs(
      "Only jobs in this state: queued, running, succeeded, failed or cancelled."
      state: String
      "Only jobs of this model (identifier)."
      model: String
      "Page size (at most 100)."
      first: Int = 50
      "Jobs to skip before the page."
      offset: Int = 0
    ): [Job!]!
    "One evaluation job."
    job("The job's identifier." id: ID!): Job
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
    "The job's identifier."
    id: ID!
    "The model it evaluates."
    model: Model!
    "Benchmark identifier."
    benchmark: String!
    "Version of the benchmark the job scores."
    benchmarkVersion: Int!
    "Settings that change the score (e.g. an image limit); {} for the platform defaults."
    configuration: JSON!
    "queued, running, succeeded, failed or cancelled."
    state: String!
    "Queue priority (higher runs first)."
    priority: Int!
    "Attempts started so far."
    attempts: Int!
    "Attempts allowed before the job fails for good."
    maxAttempts: Int!
    "What the job last reported while running (null before it starts)."
    progress: JobProgress
    "Whether a checkpoint is saved (a restarted job resumes from it)."
    hasCheckpoint: Boolean!
    "The error of the last failed attempt."
    error: String
    "The run that produced the score (once succeeded)."
    run: Run
    "Seconds of work spent on the job over all attempts."
    computeSeconds: Float!
    "When the job was queued."
    createdAt: DateTime!
    "When its first attempt started."
    startedAt: DateTime
    "When it succeeded, failed for good or was cancelled."
    finishedAt: DateTime
  }

  "The result of cancelJob or retryJob."
  type JobPayload {
    "Whether the job was cancelled or queued again."
    ok: Boolean!
    "The job after the change."
    job: Job
    "Why nothing changed (unknown job, not allowed, wrong state)."
    errors: [UserError!]!
  }
`;
