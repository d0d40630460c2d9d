import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ModelRow as ModelRowParent, BenchmarkRow as BenchmarkRowParent, ScoreRow as ScoreRowParent, RunRow as RunRowParent, ScoreVersionRow as ScoreVersionRowParent, ScoreChangeRow as ScoreChangeRowParent, ModelConnectionParent as ModelConnectionParentParent, ModelEdgeParent as ModelEdgeParentParent, ScoreConnectionParent as ScoreConnectionParentParent, ScoreEdgeParent as ScoreEdgeParentParent, LeaderboardConnectionParent as LeaderboardConnectionParentParent, LeaderboardEdgeParent as LeaderboardEdgeParentParent, LeaderboardRowParent as LeaderboardRowParentParent, LeaderboardCellParent as LeaderboardCellParentParent, CorrelationRowParent as CorrelationRowParentParent, ScatterPointParent as ScatterPointParentParent, RobustnessResultParent as RobustnessResultParentParent, SubmissionParent as SubmissionParentParent, SubmitResultsPayloadParent as SubmitResultsPayloadParentParent, RequestEvaluationPayloadParent as RequestEvaluationPayloadParentParent, EvaluationRequestRow as EvaluationRequestRowParent, UserErrorParent as UserErrorParentParent, JobRow as JobRowParent, JobPayloadParent as JobPayloadParentParent, StudyRow as StudyRowParent, StudyResultParent as StudyResultParentParent, StudyColumnParent as StudyColumnParentParent, RunStudyPayloadParent as RunStudyPayloadParentParent } from '../types.ts';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant as an ISO-8601 string in UTC, e.g. 2025-02-18T12:00:00.000Z. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Any JSON value (objects of configuration, environment, artifacts and parameters). */
  JSON: { input: unknown; output: unknown; }
};

/** A benchmark (a leaf with scores) or an aggregate node of the benchmark tree. */
export type Benchmark = {
  __typename?: 'Benchmark';
  /** The ceiling raw scores are divided by (null when the benchmark is not ceiled). */
  ceiling?: Maybe<Scalars['Float']['output']>;
  /** Direct children, in catalog order (empty for a leaf). */
  children: Array<Benchmark>;
  /** A sentence on the benchmark. */
  description?: Maybe<Scalars['String']['output']>;
  /** Name for display (the identifier when none is set). */
  displayName: Scalars['String']['output'];
  /** Which domain the benchmark measures. */
  domain: BenchmarkDomain;
  /** Brain-Score's identifier where one exists, e.g. MajajHong2015.IT-pls or AutoAttack-Linf-1/255. */
  identifier: Scalars['String']['output'];
  /** Whether this is a leaf (scores are written to leaves; parents are aggregated). */
  isLeaf: Scalars['Boolean']['output'];
  /** What the score measures and how it is computed. */
  metric?: Maybe<Scalars['String']['output']>;
  /** Benchmark parameters (for robustness: attack, norm, eps, profile, version, dataset). */
  parameters: Scalars['JSON']['output'];
  /** The parent node (null for a root). */
  parent?: Maybe<Benchmark>;
  /** Highest valid raw value. */
  rangeMax?: Maybe<Scalars['Float']['output']>;
  /** Lowest valid raw value (submissions outside [rangeMin, rangeMax] are refused). */
  rangeMin?: Maybe<Scalars['Float']['output']>;
  /** The paper the benchmark comes from. */
  reference?: Maybe<Scalars['String']['output']>;
  /** Public models' scores on this benchmark, ordered by model identifier (at most 100 per page). */
  scores: ScoreConnection;
  /** Current version (under benchmark(asOf): the version then); scores of other versions are not shown. */
  version: Scalars['Int']['output'];
};


/** A benchmark (a leaf with scores) or an aggregate node of the benchmark tree. */
export type BenchmarkScoresArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Where a benchmark sits: aggregate nodes of the tree, the alignment domains, engineering and robustness. */
export type BenchmarkDomain =
  /** A node whose score is the equal-weight mean of its direct children. */
  | 'AGGREGATE'
  /** Behavioral alignment (e.g. error consistency with humans). */
  | 'BEHAVIORAL'
  /** Task performance (e.g. ImageNet top-1, shape bias); raw scores. */
  | 'ENGINEERING'
  /** Neural alignment (e.g. PLS predictivity of V1/V2/V4/IT recordings). */
  | 'NEURAL'
  /** Adversarial robustness (AutoAttack robust accuracy). */
  | 'ROBUSTNESS';

/** Why a cell's current value changed. */
export type ChangeReason =
  /** The cell's first value. */
  | 'FIRST_VALUE'
  /** The first value on a new version of the benchmark (the model had a value on an earlier version). */
  | 'NEW_BENCHMARK_VERSION'
  /** A new run of the same source. */
  | 'NEW_RUN'
  /** A value from another source than before became current. */
  | 'NEW_SOURCE';

/** Correlation coefficients. */
export type CorrelationMethod =
  /** Kendall's tau-b. */
  | 'KENDALL'
  /** Pearson's product-moment correlation r. */
  | 'PEARSON'
  /** Spearman's rank correlation rho. */
  | 'SPEARMAN';

/** How one benchmark relates to the target. */
export type CorrelationRow = {
  __typename?: 'CorrelationRow';
  /** The benchmark correlated with the target. */
  benchmark: Benchmark;
  /** Upper end of that interval. */
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** Lower end of the percentile bootstrap confidence interval of the coefficient. */
  ciLow?: Maybe<Scalars['Float']['output']>;
  /** The chosen correlation coefficient. */
  coefficient?: Maybe<Scalars['Float']['output']>;
  /** p-value of the F test. */
  fPValue?: Maybe<Scalars['Float']['output']>;
  /** F statistic of that fit. */
  fStatistic?: Maybe<Scalars['Float']['output']>;
  /** OLS intercept. */
  intercept?: Maybe<Scalars['Float']['output']>;
  /** Models with both values (pairwise complete). */
  n: Scalars['Int']['output'];
  /** Its two-sided p-value. */
  pValue?: Maybe<Scalars['Float']['output']>;
  /** Partial Spearman coefficient controlling for the covariate (null without one). */
  partialCoefficient?: Maybe<Scalars['Float']['output']>;
  /** Its p-value. */
  partialPValue?: Maybe<Scalars['Float']['output']>;
  /** Benjamini-Hochberg q-value across benchmarks (null when n < minN). */
  qValue?: Maybe<Scalars['Float']['output']>;
  /** R squared of the OLS fit of the target on the benchmark. */
  r2?: Maybe<Scalars['Float']['output']>;
  /** Share of model pairs the benchmark orders the same way as the target. */
  rankingAccuracy?: Maybe<Scalars['Float']['output']>;
  /** Why statistics are null (e.g. n < 3, constant column), else null. */
  reason?: Maybe<Scalars['String']['output']>;
  /** Null for a predictor; for a row listed by includeRelated, how it relates to the target. */
  relation?: Maybe<PredictorRelation>;
  /** Whether qValue is below 0.05. */
  significant: Scalars['Boolean']['output'];
  /** OLS slope. */
  slope?: Maybe<Scalars['Float']['output']>;
};

/** A benchmark the predictor left out. */
export type DroppedFeature = {
  __typename?: 'DroppedFeature';
  /** The benchmark. */
  benchmark: Scalars['String']['output'];
  /** Why (too few values, constant). */
  reason: Scalars['String']['output'];
};

/** A request to evaluate a model on benchmarks. */
export type EvaluationRequest = {
  __typename?: 'EvaluationRequest';
  /** The benchmarks to run. */
  benchmarks: Array<Benchmark>;
  /** When it was requested. */
  createdAt: Scalars['DateTime']['output'];
  /** Request id. */
  id: Scalars['ID']['output'];
  /** The jobs of this request (one per benchmark). */
  jobs: Array<Job>;
  /** The model to evaluate. */
  model: Model;
  /** Derived from its jobs: queued, running, done (every job succeeded), failed (some job failed) or cancelled. */
  status: Scalars['String']['output'];
};

/** A feature's weight in the ridge fitted on every model (rank scale). */
export type FeatureWeight = {
  __typename?: 'FeatureWeight';
  /** The benchmark. */
  benchmark: Scalars['String']['output'];
  /** Its weight. */
  weight: Scalars['Float']['output'];
};

/** A file and its sha256. */
export type FileHash = {
  __typename?: 'FileHash';
  /** Path relative to the data bundle (absolute when outside it). */
  file: Scalars['String']['output'];
  /** Hex sha256 of its bytes. */
  sha256: Scalars['String']['output'];
};

/** One model's held-out prediction (rank scale, 0 to 1). */
export type HeldOutPrediction = {
  __typename?: 'HeldOutPrediction';
  /** The model's identifier. */
  model: Scalars['String']['output'];
  /** Its held-out prediction. */
  prediction: Scalars['Float']['output'];
  /** Its target value (null when it has none). */
  target?: Maybe<Scalars['Float']['output']>;
};

/** One evaluation of a model on a benchmark with a configuration. */
export type Job = {
  __typename?: 'Job';
  /** Attempts started so far. */
  attempts: Scalars['Int']['output'];
  /** Benchmark identifier. */
  benchmark: Scalars['String']['output'];
  /** Version of the benchmark the job scores. */
  benchmarkVersion: Scalars['Int']['output'];
  /** Seconds of work spent on the job over all attempts. */
  computeSeconds: Scalars['Float']['output'];
  /** Settings that change the score (e.g. an image limit); {} for the platform defaults. */
  configuration: Scalars['JSON']['output'];
  /** When the job was queued. */
  createdAt: Scalars['DateTime']['output'];
  /** The error of the last failed attempt. */
  error?: Maybe<Scalars['String']['output']>;
  /** When it succeeded, failed for good or was cancelled. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Whether a checkpoint is saved (a restarted job resumes from it). */
  hasCheckpoint: Scalars['Boolean']['output'];
  /** The job's identifier. */
  id: Scalars['ID']['output'];
  /** Attempts allowed before the job fails for good. */
  maxAttempts: Scalars['Int']['output'];
  /** The model it evaluates. */
  model: Model;
  /** Queue priority (higher runs first). */
  priority: Scalars['Int']['output'];
  /** What the job last reported while running (null before it starts). */
  progress?: Maybe<JobProgress>;
  /** The run that produced the score (once succeeded). */
  run?: Maybe<Run>;
  /** When its first attempt started. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** queued, running, succeeded, failed or cancelled. */
  state: Scalars['String']['output'];
};

/** The result of cancelJob or retryJob. */
export type JobPayload = {
  __typename?: 'JobPayload';
  /** Why nothing changed (unknown job, not allowed, wrong state). */
  errors: Array<UserError>;
  /** The job after the change. */
  job?: Maybe<Job>;
  /** Whether the job was cancelled or queued again. */
  ok: Scalars['Boolean']['output'];
};

/** What a running job last reported. */
export type JobProgress = {
  __typename?: 'JobProgress';
  /** Estimated seconds left (null until it can be estimated). */
  etaSeconds?: Maybe<Scalars['Int']['output']>;
  /** Share done, 0 to 1. */
  fraction: Scalars['Float']['output'];
  /** Current stage (e.g. clean, apgd-ce, apgd-t, fab-t, square for AutoAttack). */
  stage: Scalars['String']['output'];
  /** When this was reported. */
  updatedAt: Scalars['DateTime']['output'];
};

/** The value of one benchmark node for one model. */
export type LeaderboardCell = {
  __typename?: 'LeaderboardCell';
  /** The node. */
  benchmark: Benchmark;
  /** The state of the value. */
  status: NodeStatus;
  /** Its (aggregated) value; null when there is none. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** A page of the leaderboard. */
export type LeaderboardConnection = {
  __typename?: 'LeaderboardConnection';
  /** The root's direct children: the columns of every row's children, in this order. */
  columns: Array<Benchmark>;
  /** The rows of this page. */
  edges: Array<LeaderboardEdge>;
  /** The policy for missing children used. */
  missing: MissingPolicy;
  /** Pagination state. */
  pageInfo: PageInfo;
  /** The node ranked by. */
  root: Benchmark;
  /** Ranked rows over all pages (every public model). */
  totalCount: Scalars['Int']['output'];
};

/** A leaderboard row and its position. */
export type LeaderboardEdge = {
  __typename?: 'LeaderboardEdge';
  /** Opaque position of this row. */
  cursor: Scalars['String']['output'];
  /** The row. */
  node: LeaderboardRow;
};

/** One model's place on the leaderboard. */
export type LeaderboardRow = {
  __typename?: 'LeaderboardRow';
  /** The root's direct children for this model, in the order of columns. */
  children: Array<LeaderboardCell>;
  /** The model. */
  model: Model;
  /** Competition rank (1, 2, 2, 4) by score, descending; null when the model has no score. */
  rank?: Maybe<Scalars['Int']['output']>;
  /** The aggregate score of the root for this model. */
  score?: Maybe<Scalars['Float']['output']>;
  /** The state of the aggregate score. */
  status: NodeStatus;
};

/** How a missing child counts when a parent is aggregated. */
export type MissingPolicy =
  /** The mean of the children that have a value. */
  | 'SKIP'
  /** A missing child counts as 0 (Brain-Score's convention). */
  | 'ZERO';

/** A vision model with its metadata and results. */
export type Model = {
  __typename?: 'Model';
  /** Network architecture, e.g. ResNet-50. */
  architecture?: Maybe<Scalars['String']['output']>;
  /** When the model was added. */
  createdAt: Scalars['DateTime']['output'];
  /** Name for display. */
  displayName: Scalars['String']['output'];
  /** Whether the platform holds an ONNX file of the model and so can evaluate it. */
  evaluable: Scalars['Boolean']['output'];
  /** Model family, e.g. ResNet. */
  family?: Maybe<Scalars['String']['output']>;
  /** Stable identifier (Brain-Score's name where one exists), e.g. resnet50. */
  identifier: Scalars['String']['output'];
  /** Evaluation jobs of this model, newest first. */
  jobs: Array<Job>;
  /** The model's licence. */
  license?: Maybe<Scalars['String']['output']>;
  /** Number of parameters (a Float, since counts exceed 32-bit integers). */
  parameters?: Maybe<Scalars['Float']['output']>;
  /** The model's adversarial robustness results (robustness-domain scores with their attack parameters). */
  robustness: Array<RobustnessResult>;
  /** The model's scores at each benchmark's current version (under model(asOf, sourceOrder): the values chosen under them), in catalog order. */
  scores: Array<Score>;
  /** Where the model comes from (a URL or a citation). */
  source?: Maybe<Scalars['String']['output']>;
  /** Name of the API key that owns the model (null for imported models). */
  submittedBy?: Maybe<Scalars['String']['output']>;
  /** Training data set, e.g. ImageNet-1k. */
  trainingData?: Maybe<Scalars['String']['output']>;
  /** How it was trained: standard, adversarial, self-supervised, shape-biased... */
  trainingRegime?: Maybe<Scalars['String']['output']>;
};


/** A vision model with its metadata and results. */
export type ModelJobsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A vision model with its metadata and results. */
export type ModelScoresArgs = {
  filter?: InputMaybe<ScoreFilter>;
};

/** A page of models. */
export type ModelConnection = {
  __typename?: 'ModelConnection';
  /** The models of this page with their cursors. */
  edges: Array<ModelEdge>;
  /** Pagination state. */
  pageInfo: PageInfo;
  /** Models matching the filter, over all pages. */
  totalCount: Scalars['Int']['output'];
};

/** A model and its position in a listing. */
export type ModelEdge = {
  __typename?: 'ModelEdge';
  /** Opaque position of this model; pass it as after to continue after it. */
  cursor: Scalars['String']['output'];
  /** The model. */
  node: Model;
};

/** Restricts a model listing; all given conditions must hold. */
export type ModelFilter = {
  /** Exact model family, e.g. ResNet. */
  family?: InputMaybe<Scalars['String']['input']>;
  /** Only models with a SCORED result on this benchmark identifier. */
  hasScoreFor?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive substring of the identifier or display name. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Exact training regime, e.g. standard, adversarial, self-supervised, shape-biased. */
  trainingRegime?: InputMaybe<Scalars['String']['input']>;
};

/** A model's identifier and metadata (strings up to 200 characters). */
export type ModelInput = {
  /** Network architecture. */
  architecture?: InputMaybe<Scalars['String']['input']>;
  /** Name for display (default: the identifier). */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** Model family. */
  family?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 100 characters: letters, digits and . _ - : / + @ */
  identifier: Scalars['String']['input'];
  /** Licence. */
  license?: InputMaybe<Scalars['String']['input']>;
  /** Number of parameters (a non-negative integer). */
  parameters?: InputMaybe<Scalars['Float']['input']>;
  /** Where the model comes from. */
  source?: InputMaybe<Scalars['String']['input']>;
  /** Training data set. */
  trainingData?: InputMaybe<Scalars['String']['input']>;
  /** Training regime: standard, adversarial, self-supervised, shape-biased... */
  trainingRegime?: InputMaybe<Scalars['String']['input']>;
};

/** Sort orders of a model listing. */
export type ModelOrder =
  /** Most recently added first. */
  | 'CREATED_AT_DESC'
  /** Identifier, A to Z. */
  | 'IDENTIFIER_ASC'
  /** Identifier, Z to A. */
  | 'IDENTIFIER_DESC';

/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Cancels a queued or running job (a key that requested it, or an admin key). */
  cancelJob: JobPayload;
  /**
   * Asks the platform's evaluator to run benchmarks on a model it holds an ONNX file of (owner or
   * admin): records the request and one job per benchmark on the Postgres queue. A benchmark no
   * evaluator worker runs, or of another label space than the model's, is refused (NOT_EVALUABLE),
   * and nothing is queued; a benchmark already scored for the same model file is not run again
   * unless `force` is set. A key other than an admin key has a daily quota of jobs requested and of
   * compute seconds used; a request beyond it is refused (QUOTA_EXCEEDED) and nothing is queued.
   */
  requestEvaluation: RequestEvaluationPayload;
  /** Queues a failed or cancelled job again with fresh attempts; it resumes from its checkpoint. */
  retryJob: JobPayload;
  /**
   * Runs a stored study again against the current scores: an evaluator worker plans it, enqueues the
   * missing scores as jobs linked to the study, and computes its result when the last job ends. Admin
   * keys, or a key that owns every model of the study's cohort.
   */
  runStudy: RunStudyPayload;
  /**
   * Submits results computed elsewhere for one model, all or nothing. A key creates the model if it
   * does not exist (and then owns it) or writes a model it owns; admin keys write every model.
   * Re-sending the same payload with the same key changes nothing (duplicate: true).
   */
  submitResults: SubmitResultsPayload;
};


/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type MutationRequestEvaluationArgs = {
  benchmarks: Array<Scalars['String']['input']>;
  force?: InputMaybe<Scalars['Boolean']['input']>;
  model: Scalars['String']['input'];
};


/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type MutationRetryJobArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type MutationRunStudyArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Writes. Every mutation needs an API key: Authorization: Bearer <key> (create one with
 * `alignscope keys create`). Expected failures come back in the payload's errors, with nothing written.
 */
export type MutationSubmitResultsArgs = {
  input: SubmitResultsInput;
};

/** The state of an aggregated value. */
export type NodeStatus =
  /** No value because the leaf (or, for a parent, a child) failed. */
  | 'FAILED'
  /** No value and no score record at all. */
  | 'MISSING'
  /** No value because the leaf (or, for a parent, a child) was not run. */
  | 'NOT_RUN'
  /** A value, but some children had none. */
  | 'PARTIAL'
  /** A value from every direct child (or a scored leaf). */
  | 'SCORED';

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Opaque cursor of the last edge; pass it as `after` to get the next page (null when the page is empty). */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether a further page exists after endCursor. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether a page exists before startCursor (always false: pagination runs forward only). */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Opaque cursor of the first edge of this page (null when the page is empty). */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Why a benchmark node is not a candidate predictor of the target. */
export type PredictorRelation =
  /** The node contains the target (e.g. the robustness aggregate): it averages the target itself. */
  | 'ANCESTOR'
  /** Another robustness benchmark beside the target: it measures the same property, not alignment. */
  | 'SIBLING';

/** Provenance of submitted scores, stored with the run. */
export type ProvenanceInput = {
  /** Configuration (seed, images, attack profile...); at most 16 kB as JSON. */
  configuration?: InputMaybe<Scalars['JSON']['input']>;
  /** Environment (package versions, hardware...); at most 16 kB as JSON. */
  environment?: InputMaybe<Scalars['JSON']['input']>;
  /** The tool that computed the scores (default: submission). */
  producer?: InputMaybe<Scalars['String']['input']>;
  /** Its version. */
  producerVersion?: InputMaybe<Scalars['String']['input']>;
};

/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type Query = {
  __typename?: 'Query';
  /** The API's version string. */
  apiVersion: Scalars['String']['output'];
  /**
   * One benchmark or aggregate node by identifier; null when there is none (or, with asOf, when it was
   * added later). With asOf its version is the one it had then; with asOf and/or sourceOrder its scores
   * are the values chosen under them.
   */
  benchmark?: Maybe<Benchmark>;
  /** The benchmark tree: its roots (average_vision, engineering_vision, robustness...) or, with root, that subtree. */
  benchmarks: Array<Benchmark>;
  /** Cells of public models whose current value changed after since and up to until (default now), oldest first. */
  changes: Array<ScoreChange>;
  /**
   * One row per benchmark node (leaves and aggregates) that some public model has a value for: how it
   * correlates, over public models with both values, with the target benchmark (typically a robustness
   * benchmark). The target's ancestors (aggregates that contain it) and its sibling robustness
   * benchmarks are not predictors and are left out unless includeRelated is true. Benjamini-Hochberg
   * q-values are taken across the predictor rows with n >= minN.
   */
  correlations: Array<CorrelationRow>;
  /** One evaluation job. */
  job?: Maybe<Job>;
  /** Evaluation jobs, newest first (at most 100 per page). */
  jobs: Array<Job>;
  /**
   * Models ranked by the aggregate score of a node of the benchmark tree (Brain-Score aggregation: a
   * parent is the equal-weight mean of its direct children, leaf ceiled scores clipped to [0, 1],
   * engineering raw). Ties share a rank (1, 2, 2, 4); models without a value come last, unranked.
   */
  leaderboard: LeaderboardConnection;
  /**
   * One public model by identifier; null when there is none (or, with asOf, when it was added later).
   * With asOf and/or sourceOrder its scores and robustness are the values chosen under them.
   */
  model?: Maybe<Model>;
  /** Public models as a Relay connection: at most 100 per page (first <= 100), filtered and ordered. */
  models: ModelConnection;
  /**
   * Can alignment benchmarks rank models by robustness? The cross-validated ridge predictor of
   * @alignscope/analysis (on mid-ECDF ranks) over public models' board values: the benchmarks it
   * uses (and the ones left out, with why), held-out pairwise ranking accuracy and Spearman rho, and
   * every model's held-out prediction.
   */
  predictRobustness: RobustnessPrediction;
  /** The paired values of two benchmark nodes over public models that have both (for scatter plots). */
  scatter: Array<ScatterPoint>;
  /** Stored studies by name, newest version first (at most 100). */
  studies: Array<Study>;
  /** One stored study version (definition, state, progress, jobs, result). */
  study?: Maybe<Study>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryBenchmarkArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  identifier: Scalars['String']['input'];
  sourceOrder?: InputMaybe<Array<ScoreSource>>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryBenchmarksArgs = {
  root?: InputMaybe<Scalars['String']['input']>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryChangesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  since: Scalars['DateTime']['input'];
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryCorrelationsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  bootstrap?: InputMaybe<Scalars['Int']['input']>;
  covariate?: InputMaybe<Scalars['String']['input']>;
  includeRelated?: InputMaybe<Scalars['Boolean']['input']>;
  method?: InputMaybe<CorrelationMethod>;
  minN?: InputMaybe<Scalars['Int']['input']>;
  missing?: InputMaybe<MissingPolicy>;
  sourceOrder?: InputMaybe<Array<ScoreSource>>;
  target: Scalars['String']['input'];
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryJobArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryJobsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryLeaderboardArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  missing?: InputMaybe<MissingPolicy>;
  root?: Scalars['String']['input'];
  sourceOrder?: InputMaybe<Array<ScoreSource>>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryModelArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  identifier: Scalars['String']['input'];
  sourceOrder?: InputMaybe<Array<ScoreSource>>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ModelOrder>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryPredictRobustnessArgs = {
  benchmarks?: InputMaybe<Array<Scalars['String']['input']>>;
  cohort?: InputMaybe<Array<Scalars['String']['input']>>;
  folds?: InputMaybe<Scalars['Int']['input']>;
  lambda?: InputMaybe<Scalars['Float']['input']>;
  minN?: InputMaybe<Scalars['Int']['input']>;
  missing?: InputMaybe<MissingPolicy>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  target: Scalars['String']['input'];
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryScatterArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  missing?: InputMaybe<MissingPolicy>;
  sourceOrder?: InputMaybe<Array<ScoreSource>>;
  x: Scalars['String']['input'];
  y: Scalars['String']['input'];
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryStudiesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  latestOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


/** Read access to models, benchmarks, scores, the leaderboard and the correlation statistics. */
export type QueryStudyArgs = {
  id: Scalars['ID']['input'];
};

/** The result of requestEvaluation. */
export type RequestEvaluationPayload = {
  __typename?: 'RequestEvaluationPayload';
  /** Why the request was refused (empty when ok). */
  errors: Array<UserError>;
  /** Whether the request was recorded. */
  ok: Scalars['Boolean']['output'];
  /** The recorded request. */
  request?: Maybe<EvaluationRequest>;
};

/** The result of predictRobustness. */
export type RobustnessPrediction = {
  __typename?: 'RobustnessPrediction';
  /** Candidates left out, with why. */
  dropped: Array<DroppedFeature>;
  /** Cross-validation folds used (n for leave-one-out). */
  folds: Scalars['Int']['output'];
  /** Held-out pairwise ranking accuracy: the share of model pairs the cross-validated predictions order as the target. */
  heldOutRankingAccuracy?: Maybe<Scalars['Float']['output']>;
  /** Held-out Spearman rho of predictions and target. */
  heldOutSpearman?: Maybe<Scalars['Float']['output']>;
  /** Models with a target value. */
  n: Scalars['Int']['output'];
  /** Every model's held-out prediction, best predicted first. */
  predictions: Array<HeldOutPrediction>;
  /** Why statistics are null (e.g. too few models), else null. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The benchmarks the predictor uses (values for at least minN models with a target, not constant). */
  selected: Array<Scalars['String']['output']>;
  /** The benchmark predicted. */
  target: Scalars['String']['output'];
  /** Weights of the ridge fitted on every model. */
  weights: Array<FeatureWeight>;
};

/** A robust accuracy under one AutoAttack configuration. */
export type RobustnessResult = {
  __typename?: 'RobustnessResult';
  /** The robustness benchmark. */
  benchmark: Benchmark;
  /** Image data set: imagenet or cifar10. */
  dataset?: Maybe<Scalars['String']['output']>;
  /** Perturbation budget on the [0, 1] pixel scale. */
  eps?: Maybe<Scalars['Float']['output']>;
  /** The budget as written in the identifier, e.g. 1/255. */
  epsLabel?: Maybe<Scalars['String']['output']>;
  /** Threat model norm: Linf or L2. */
  norm?: Maybe<Scalars['String']['output']>;
  /** Attack configuration: reference (fra31/auto-attack) or torchattacks. */
  profile?: Maybe<Scalars['String']['output']>;
  /** Robust accuracy in [0, 1]; null unless the score is SCORED. */
  robustAccuracy?: Maybe<Scalars['Float']['output']>;
  /** The underlying score (status, values, run). */
  score: Score;
};

/** Who or what produced scores, with its configuration, environment, timings and artifacts. */
export type Run = {
  __typename?: 'Run';
  /** Detailed outputs (per-attack accuracies, per-image flags...). */
  artifacts: Scalars['JSON']['output'];
  /** Configuration (attack profile, eps, seed, image manifest...). */
  configuration: Scalars['JSON']['output'];
  /** Environment (package versions, execution provider...). */
  environment: Scalars['JSON']['output'];
  /**
   * The error message of a failed run (the old name: 'error' means a standard error on scores).
   * @deprecated Use errorMessage.
   */
  error?: Maybe<Scalars['String']['output']>;
  /** The error message of a failed run. */
  errorMessage?: Maybe<Scalars['String']['output']>;
  /** When it finished (null while running). */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Run id. */
  id: Scalars['ID']['output'];
  /** Evaluation, attack, import or submission. */
  kind: RunKind;
  /** The program or source that produced it, e.g. alignscope-evaluator or the submitter's tool. */
  producer: Scalars['String']['output'];
  /** Its version. */
  producerVersion?: Maybe<Scalars['String']['output']>;
  /** What the score was computed from (evaluation runs): evaluator version and source commit, the data bundle's version, and the sha256 of the image set and of every human trial or decisions file read. Null for runs that recorded none (imports, submissions, older runs). */
  provenance?: Maybe<RunProvenance>;
  /** When it started. */
  startedAt: Scalars['DateTime']['output'];
  /** Running, succeeded or failed. */
  status: RunStatus;
};

/** What produced a run's scores. */
export type RunKind =
  /** The platform ran an adversarial attack. */
  | 'ATTACK'
  /** The platform evaluated an ONNX model on a benchmark. */
  | 'EVALUATION'
  /** Results imported from a published source (e.g. Brain-Score, RobustBench). */
  | 'IMPORT'
  /** Results submitted through the API. */
  | 'SUBMISSION';

/** Reproducibility record of an evaluation run. */
export type RunProvenance = {
  __typename?: 'RunProvenance';
  /** The data bundle's version: the sha256 of its README.md (which lists every source commit); 'unknown' without one. */
  dataBundleVersion: Scalars['String']['output'];
  /** Every recorded-decisions file read instead of running a model. */
  decisionFiles: Array<FileHash>;
  /** The evaluator's version (apps/evaluator package.json). */
  evaluatorVersion: Scalars['String']['output'];
  /** Every human trial file a behavioral score read. */
  humanTrialFiles: Array<FileHash>;
  /** The number of images in that set. */
  imageCount?: Maybe<Scalars['Int']['output']>;
  /** The sha256 of the image set used: one line per image in order, <path relative to the bundle> TAB <label> TAB <sha256 of the file>. Null when no images were read (recorded decisions). */
  imageSetSha256?: Maybe<Scalars['String']['output']>;
  /** The git commit of the evaluator's source; 'unknown' outside a git checkout (never guessed). */
  sourceCommit: Scalars['String']['output'];
  /** True when tracked files differed from that commit; null when unknown. */
  sourceDirty?: Maybe<Scalars['Boolean']['output']>;
};

/** The state of a run. */
export type RunStatus =
  /** Finished with an error. */
  | 'FAILED'
  /** Still running. */
  | 'RUNNING'
  /** Finished and produced its results. */
  | 'SUCCEEDED';

/** The result of runStudy. */
export type RunStudyPayload = {
  __typename?: 'RunStudyPayload';
  /** Why nothing changed (unknown study, not allowed, no worker). */
  errors: Array<UserError>;
  /** Whether the study was handed to the evaluator workers. */
  ok: Scalars['Boolean']['output'];
  /** The study after the change. */
  study?: Maybe<Study>;
};

/** One model's pair of values. */
export type ScatterPoint = {
  __typename?: 'ScatterPoint';
  /** The model. */
  model: Model;
  /** Its value on the x benchmark. */
  x: Scalars['Float']['output'];
  /** Its value on the y benchmark. */
  y: Scalars['Float']['output'];
};

/** The result of one model on one benchmark (at the benchmark's current version). */
export type Score = {
  __typename?: 'Score';
  /** The benchmark. */
  benchmark: Benchmark;
  /** The benchmark version the score belongs to. */
  benchmarkVersion: Scalars['Int']['output'];
  /** The value divided by the ceiling (Brain-Score's convention), when ceiled. */
  ceiledValue?: Maybe<Scalars['Float']['output']>;
  /** The ceiling used for this score. */
  ceiling?: Maybe<Scalars['Float']['output']>;
  /** Upper bound of the uncertainty interval of value. */
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** Lower bound of the uncertainty interval of value (null when there is none; ciMethod says why). */
  ciLow?: Maybe<Scalars['Float']['output']>;
  /** How the interval was obtained: 'clopper-pearson 95%' (accuracies, robust accuracies), a bootstrap over trials with its resamples and seed (shape bias, error consistency), the source's error ('source error: …'), or 'none: …' when the source gives none. Null for scores written before intervals were recorded. */
  ciMethod?: Maybe<Scalars['String']['output']>;
  /**
   * Standard error of the value (the old name: 'error' means a failure message on runs).
   * @deprecated Use standardError.
   */
  error?: Maybe<Scalars['Float']['output']>;
  /**
   * Every value written to this cell (model, benchmark, version), oldest first: evaluations, imports and
   * submissions each keep theirs. The current value is chosen by the rule: a scored value before a
   * failed or not-run one; then EVALUATION, SUBMISSION, IMPORT; then the newest.
   */
  history: Array<ScoreVersion>;
  /** The model. */
  model: Model;
  /** The value before ceiling. */
  rawValue?: Maybe<Scalars['Float']['output']>;
  /** The run that produced the current value (null when unknown). */
  run?: Maybe<Run>;
  /** Who wrote the current value (null for values written before sources were recorded, without a run). */
  source?: Maybe<ScoreSource>;
  /** Standard error of the value, when known. */
  standardError?: Maybe<Scalars['Float']['output']>;
  /** SCORED, FAILED or NOT_RUN. */
  status: ScoreStatus;
  /** When the score was last written. */
  updatedAt: Scalars['DateTime']['output'];
  /** The score shown on the leaderboard: the ceiled value when the benchmark is ceiled, else the raw value. */
  value?: Maybe<Scalars['Float']['output']>;
};


/** The result of one model on one benchmark (at the benchmark's current version). */
export type ScoreHistoryArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A cell whose current value changed between two times. */
export type ScoreChange = {
  __typename?: 'ScoreChange';
  /** The current value at until. */
  after: ScoreVersion;
  /** The current value at since (null when there was none). */
  before?: Maybe<ScoreVersion>;
  /** The benchmark. */
  benchmark: Benchmark;
  /** The benchmark version of the cell. */
  benchmarkVersion: Scalars['Int']['output'];
  /** The model. */
  model: Model;
  /** Why it changed. */
  reason: ChangeReason;
};

/** A page of scores. */
export type ScoreConnection = {
  __typename?: 'ScoreConnection';
  /** The scores of this page with their cursors. */
  edges: Array<ScoreEdge>;
  /** Pagination state. */
  pageInfo: PageInfo;
  /** Scores over all pages. */
  totalCount: Scalars['Int']['output'];
};

/** A score and its position in a listing. */
export type ScoreEdge = {
  __typename?: 'ScoreEdge';
  /** Opaque position of this score. */
  cursor: Scalars['String']['output'];
  /** The score. */
  node: Score;
};

/** Restricts a model's scores; all given conditions must hold. */
export type ScoreFilter = {
  /** Only these benchmark identifiers. */
  benchmarks?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Only benchmarks of this domain. */
  domain?: InputMaybe<BenchmarkDomain>;
  /** Only scores in this state. */
  status?: InputMaybe<ScoreStatus>;
};

/** One score of a submission. */
export type ScoreInput = {
  /** Identifier of a leaf benchmark. */
  benchmark: Scalars['String']['input'];
  /** The ceiling used (positive). */
  ceiling?: InputMaybe<Scalars['Float']['input']>;
  /** Upper bound of the interval. */
  ciHigh?: InputMaybe<Scalars['Float']['input']>;
  /** Lower bound of an uncertainty interval around value (with ciHigh and ciMethod; must contain the value). Without one, error becomes a ±1 error band, else the score is stored without an interval. */
  ciLow?: InputMaybe<Scalars['Float']['input']>;
  /** How the interval was computed (e.g. 'clopper-pearson 95%'), stored as 'submitted: <text>'. */
  ciMethod?: InputMaybe<Scalars['String']['input']>;
  /** Uncertainty of the value (non-negative). */
  error?: InputMaybe<Scalars['Float']['input']>;
  /** The value before ceiling, within the benchmark's [rangeMin, rangeMax]. */
  rawValue?: InputMaybe<Scalars['Float']['input']>;
  /** SCORED (needs value), FAILED or NOT_RUN. */
  status?: InputMaybe<ScoreStatus>;
  /** The score: the ceiled score of a neural or behavioral benchmark with a ceiling, else the raw score; within the benchmark's [rangeMin, rangeMax]. */
  value?: InputMaybe<Scalars['Float']['input']>;
};

/** Who wrote a score version. */
export type ScoreSource =
  /** The platform's own evaluation (or attack). */
  | 'EVALUATION'
  /** An import of published results. */
  | 'IMPORT'
  /** A submission through the API. */
  | 'SUBMISSION';

/** The state of a score: never folded into one another. */
export type ScoreStatus =
  /** The benchmark ran and failed. */
  | 'FAILED'
  /** The benchmark was not run for this model. */
  | 'NOT_RUN'
  /** A value was produced. */
  | 'SCORED';

/** One value written to a score cell; versions are never overwritten. */
export type ScoreVersion = {
  __typename?: 'ScoreVersion';
  /** The value divided by the ceiling, when ceiled. */
  ceiledValue?: Maybe<Scalars['Float']['output']>;
  /** Upper bound of the value's uncertainty interval. */
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** Lower bound of the value's uncertainty interval. */
  ciLow?: Maybe<Scalars['Float']['output']>;
  /** How the interval was obtained (see Score.ciMethod). */
  ciMethod?: Maybe<Scalars['String']['output']>;
  /** The uncertainty the writer gave, when known. */
  error?: Maybe<Scalars['Float']['output']>;
  /** The value before ceiling. */
  rawValue?: Maybe<Scalars['Float']['output']>;
  /** When it was written. */
  recordedAt: Scalars['DateTime']['output'];
  /** The run that wrote it. */
  run?: Maybe<Run>;
  /** Who wrote it (null: before sources were recorded, without a run). */
  source?: Maybe<ScoreSource>;
  /** The benchmark version the source itself named, when it named one (e.g. Brain-Score's 2). */
  sourceBenchmarkVersion?: Maybe<Scalars['String']['output']>;
  /** SCORED, FAILED or NOT_RUN. */
  status: ScoreStatus;
  /** The ceiled value when ceiled, else the raw value. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** A study: a versioned definition, its last plan and state, progress over its jobs, and its result. */
export type Study = {
  __typename?: 'Study';
  /** When this version was first stored. */
  createdAt: Scalars['DateTime']['output'];
  /** The validated definition (cohort, benchmarks, robustness settings, analysis). */
  definition: Scalars['JSON']['output'];
  /** What it asks and how. */
  description: Scalars['String']['output'];
  /** Why the last run failed; for done_with_failures, a line naming the scores that failed. */
  error?: Maybe<Scalars['String']['output']>;
  /** The planned scores whose job (or in-process evaluation) failed or was cancelled, read now, with the error of each. */
  failures: Array<StudyFailure>;
  /** The study's identifier (one per name and version). */
  id: Scalars['ID']['output'];
  /** The evaluation jobs the study enqueued (at most 1000). */
  jobs: Array<Job>;
  /** Its name (e.g. hoak2025). */
  name: Scalars['String']['output'];
  /** The last plan: cohort, benchmarks, every score current, missing or unavailable, time estimate. */
  plan?: Maybe<Scalars['JSON']['output']>;
  /** Progress over the study's jobs, read now. */
  progress: StudyProgress;
  /** The paper it reproduces, if any. */
  reference?: Maybe<Scalars['String']['output']>;
  /** The computed result (null until computed). */
  result?: Maybe<StudyResult>;
  /**
   * defined, requested, running, interrupted, computed, done_with_failures (the result covers the
   * scores that succeeded; `failures` lists the others, which running the study again retries) or
   * failed (the run stopped on an error, see `error`).
   */
  status: Scalars['String']['output'];
  /** Its title. */
  title: Scalars['String']['output'];
  /** When its state last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Its version: a changed definition under the same name is the next one. */
  version: Scalars['Int']['output'];
};


/** A study: a versioned definition, its last plan and state, progress over its jobs, and its result. */
export type StudyJobsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An aggregate's OLS fit against a target. */
export type StudyAggregateFit = {
  __typename?: 'StudyAggregateFit';
  /** The aggregate benchmark. */
  benchmark: Scalars['String']['output'];
  /** F statistic. */
  f?: Maybe<Scalars['Float']['output']>;
  /** p-value of the F test. */
  fP?: Maybe<Scalars['Float']['output']>;
  /** Models with both values. */
  n: Scalars['Int']['output'];
  /** R squared. */
  r2?: Maybe<Scalars['Float']['output']>;
  /** The robustness benchmark. */
  target: Scalars['String']['output'];
};

/** One model's value in a column of a study's analysed table. */
export type StudyCell = {
  __typename?: 'StudyCell';
  /** Upper end of that interval. */
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** Lower end of the interval stored with the value (e.g. the Clopper-Pearson 95 % interval of a robust accuracy over its images); null when none was stored, and then ciHigh is null too. */
  ciLow?: Maybe<Scalars['Float']['output']>;
  /** The model's identifier. */
  model: Scalars['String']['output'];
  /** The value the analysis used (aggregated as the board does; a limited run's value for a benchmark planned with an image limit); null when the model has none. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** One column of a study's analysed table: a benchmark's value for every model of the cohort. */
export type StudyColumn = {
  __typename?: 'StudyColumn';
  /** The benchmark's identifier. */
  benchmark: Scalars['String']['output'];
  /** Every model of the cohort in the order of StudyResult.models, with its value and interval. */
  cells: Array<StudyCell>;
  /** How its intervals were computed (the scores' distinct ciMethod texts, see Score.ciMethod); empty when none is stored (aggregates never have one, nor results stored before intervals were kept). */
  intervalMethods: Array<Scalars['String']['output']>;
  /** Models of the cohort with a value (over the whole column, not one page). */
  n: Scalars['Int']['output'];
  /** What it is in the analysis: one role or more (a covariate can also be a benchmark, a leaf also an aggregate), in the order TARGET, BENCHMARK, AGGREGATE, COVARIATE. */
  roles: Array<StudyColumnRole>;
};


/** One column of a study's analysed table: a benchmark's value for every model of the cohort. */
export type StudyColumnCellsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

/** What a column of a study's analysed table is in the analysis. */
export type StudyColumnRole =
  /** An aggregate reported with its OLS fit (`aggregates`). */
  | 'AGGREGATE'
  /** An alignment benchmark of the study's plan (a leaf): a row of every correlation table. */
  | 'BENCHMARK'
  /** The covariate of the partial correlations (e.g. clean accuracy). */
  | 'COVARIATE'
  /** A robustness target (one per eps): every other column is correlated with it. */
  | 'TARGET';

/** How one benchmark relates to a study's target. */
export type StudyCorrelationRow = {
  __typename?: 'StudyCorrelationRow';
  /** The benchmark's identifier. */
  benchmark: Scalars['String']['output'];
  /** Upper end of that interval. */
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** Lower end of the bootstrap confidence interval. */
  ciLow?: Maybe<Scalars['Float']['output']>;
  /** The correlation coefficient. */
  coefficient?: Maybe<Scalars['Float']['output']>;
  /** p-value of the F test. */
  fPValue?: Maybe<Scalars['Float']['output']>;
  /** F statistic of that fit. */
  fStatistic?: Maybe<Scalars['Float']['output']>;
  /** OLS intercept. */
  intercept?: Maybe<Scalars['Float']['output']>;
  /** Models with both values. */
  n: Scalars['Int']['output'];
  /** Its two-sided p-value. */
  pValue?: Maybe<Scalars['Float']['output']>;
  /** Partial coefficient given the covariate (null without one). */
  partialCoefficient?: Maybe<Scalars['Float']['output']>;
  /** Its p-value. */
  partialPValue?: Maybe<Scalars['Float']['output']>;
  /** Benjamini-Hochberg q-value. */
  qValue?: Maybe<Scalars['Float']['output']>;
  /** R squared of the OLS fit of the target on the benchmark. */
  r2?: Maybe<Scalars['Float']['output']>;
  /** Share of model pairs ordered as by the target. */
  rankingAccuracy?: Maybe<Scalars['Float']['output']>;
  /** Why statistics are null, else null. */
  reason?: Maybe<Scalars['String']['output']>;
  /** Whether the q-value is below 0.05. */
  significant: Scalars['Boolean']['output'];
  /** OLS slope. */
  slope?: Maybe<Scalars['Float']['output']>;
};

/** Every benchmark's correlation with one robustness target. */
export type StudyCorrelationTable = {
  __typename?: 'StudyCorrelationTable';
  /** One row per benchmark. */
  rows: Array<StudyCorrelationRow>;
  /** The robustness benchmark. */
  target: Scalars['String']['output'];
};

/** A planned score of a study that failed: left out of its result, retried when the study runs again. */
export type StudyFailure = {
  __typename?: 'StudyFailure';
  /** The benchmark. */
  benchmark: Scalars['String']['output'];
  /** The last error. */
  error?: Maybe<Scalars['String']['output']>;
  /** The image limit it was planned with (null: the whole image set). */
  limit?: Maybe<Scalars['Int']['output']>;
  /** The model's identifier. */
  model: Scalars['String']['output'];
  /** failed or cancelled. */
  state: Scalars['String']['output'];
};

/** One model's jobs in a study. */
export type StudyModelProgress = {
  __typename?: 'StudyModelProgress';
  /** Of which failed or were cancelled. */
  failed: Scalars['Int']['output'];
  /** Share done, 0 to 1. */
  fraction: Scalars['Float']['output'];
  /** Its jobs. */
  jobs: Scalars['Int']['output'];
  /** The model's identifier. */
  model: Scalars['String']['output'];
  /** Of which succeeded. */
  succeeded: Scalars['Int']['output'];
};

/** A study's predictor of one target. */
export type StudyPredictor = {
  __typename?: 'StudyPredictor';
  /** The benchmarks it uses. */
  features: Array<Scalars['String']['output']>;
  /** Cross-validation folds. */
  folds: Scalars['Int']['output'];
  /** Held-out pairwise ranking accuracy. */
  heldOutRankingAccuracy?: Maybe<Scalars['Float']['output']>;
  /** Held-out Spearman rho. */
  heldOutSpearman?: Maybe<Scalars['Float']['output']>;
  /** Models with a target value. */
  n: Scalars['Int']['output'];
  /** Every model's held-out prediction. */
  predictions: Array<HeldOutPrediction>;
  /** The robustness benchmark predicted. */
  target: Scalars['String']['output'];
};

/** A study's progress over its jobs. */
export type StudyProgress = {
  __typename?: 'StudyProgress';
  /** Jobs that were cancelled. */
  cancelled: Scalars['Int']['output'];
  /** Jobs that failed for good. */
  failed: Scalars['Int']['output'];
  /** Share of the work done, 0 to 1 (each job's progress; an ended job counts 1). */
  fraction: Scalars['Float']['output'];
  /** Jobs the study enqueued. */
  jobs: Scalars['Int']['output'];
  /** Per model of the cohort with jobs. */
  models: Array<StudyModelProgress>;
  /** Jobs waiting for a worker. */
  queued: Scalars['Int']['output'];
  /** Jobs running now. */
  running: Scalars['Int']['output'];
  /** The jobs running now, with their stage. */
  runningJobs: Array<StudyRunningJob>;
  /** Whether no job is queued or running. */
  settled: Scalars['Boolean']['output'];
  /** Jobs that succeeded. */
  succeeded: Scalars['Int']['output'];
};

/** A study's computed result. */
export type StudyResult = {
  __typename?: 'StudyResult';
  /** The aggregates' OLS fits against each target. */
  aggregates: Array<StudyAggregateFit>;
  /**
   * The analysed table, one column per robustness target, benchmark, aggregate and covariate, each with
   * every cohort model's value and the interval stored with it: enough to redraw a scatter plot with its
   * whiskers or to recompute a correlation by hand. Columns: targets first (as `correlations` lists
   * them), then benchmarks (in the plan's order), aggregates, the covariate. Null for a result stored
   * before the analysed values were kept (run the study again). Costed as columns x cells: page through
   * a large table with `first` and `offset` here and on `cells`.
   */
  columns?: Maybe<Array<StudyColumn>>;
  /** When it was computed. */
  computedAt: Scalars['DateTime']['output'];
  /** Per robustness target (each eps), every benchmark's correlation row. */
  correlations: Array<StudyCorrelationTable>;
  /** The cohort, in the order of the predictions. */
  models: Array<Scalars['String']['output']>;
  /** The cross-validated predictor per target. */
  predictor: Array<StudyPredictor>;
  /** Settings and counts the result was computed with. */
  provenance: Scalars['JSON']['output'];
};


/** A study's computed result. */
export type StudyResultColumnsArgs = {
  benchmarks?: InputMaybe<Array<Scalars['String']['input']>>;
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  roles?: InputMaybe<Array<StudyColumnRole>>;
};

/** A running job of a study. */
export type StudyRunningJob = {
  __typename?: 'StudyRunningJob';
  /** The benchmark. */
  benchmark: Scalars['String']['output'];
  /** Estimated seconds left. */
  etaSeconds?: Maybe<Scalars['Int']['output']>;
  /** Share done, 0 to 1. */
  fraction: Scalars['Float']['output'];
  /** The job's identifier. */
  jobId: Scalars['ID']['output'];
  /** The model's identifier. */
  model: Scalars['String']['output'];
  /** Its current stage (e.g. images, apgd-ce, square). */
  stage?: Maybe<Scalars['String']['output']>;
};

/** An accepted submission. */
export type Submission = {
  __typename?: 'Submission';
  /** Submission id. */
  id: Scalars['ID']['output'];
  /** SHA-256 of the canonical JSON of the input (hex). */
  payloadSha256: Scalars['String']['output'];
};

/** A results submission. */
export type SubmitResultsInput = {
  /** The model: its identifier and any metadata to set. */
  model: ModelInput;
  /** How the scores were produced. */
  provenance?: InputMaybe<ProvenanceInput>;
  /** Scores of leaf benchmarks (at most 500, each benchmark once). */
  scores: Array<ScoreInput>;
};

/** The result of submitResults. */
export type SubmitResultsPayload = {
  __typename?: 'SubmitResultsPayload';
  /** Whether this key had already submitted exactly this payload (nothing was written again). */
  duplicate: Scalars['Boolean']['output'];
  /** Why the submission was refused (empty when ok). */
  errors: Array<UserError>;
  /** The model written. */
  model?: Maybe<Model>;
  /** Whether the submission was accepted (then every score was written). */
  ok: Scalars['Boolean']['output'];
  /** The scores as stored, in submission order. */
  scores: Array<Score>;
  /** The submission record. */
  submission?: Maybe<Submission>;
};

/** An expected failure of a mutation, returned as data. */
export type UserError = {
  __typename?: 'UserError';
  /** What went wrong, as a stable code. */
  code: UserErrorCode;
  /** A one-line explanation for people. */
  message: Scalars['String']['output'];
  /** The input path of the offending value, e.g. ["input", "scores", "2", "value"]; empty for the whole request. */
  path: Array<Scalars['String']['output']>;
};

/** Machine-readable reason of an expected failure returned in a mutation payload. */
export type UserErrorCode =
  /** The key may not write this model (it belongs to another key; admin keys write all). */
  | 'FORBIDDEN'
  /** The job is in a state that does not allow this (e.g. cancelling a finished job). */
  | 'INVALID_STATE'
  /** The model has no ONNX file, so the platform cannot evaluate it. */
  | 'MODEL_NOT_EVALUABLE'
  /** Scores are written to leaf benchmarks; aggregates are computed. */
  | 'NOT_A_LEAF'
  /** No evaluator worker runs this benchmark, or it needs another label space than the model's. */
  | 'NOT_EVALUABLE'
  /** A value lies outside the benchmark's valid range or is not finite. */
  | 'OUT_OF_RANGE'
  /** The key's daily quota of evaluation jobs or compute seconds is used up (admin keys have none). */
  | 'QUOTA_EXCEEDED'
  /** No Authorization header, or a key that is unknown or revoked. */
  | 'UNAUTHENTICATED'
  /** No benchmark has this identifier. */
  | 'UNKNOWN_BENCHMARK'
  /** No job has this id. */
  | 'UNKNOWN_JOB'
  /** No public model has this identifier. */
  | 'UNKNOWN_MODEL'
  /** No stored study has this id. */
  | 'UNKNOWN_STUDY'
  /** The input is malformed (sizes, lengths, characters, duplicates, a missing value). */
  | 'VALIDATION_FAILED';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Benchmark: ResolverTypeWrapper<BenchmarkRowParent>;
  BenchmarkDomain: BenchmarkDomain;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChangeReason: ChangeReason;
  CorrelationMethod: CorrelationMethod;
  CorrelationRow: ResolverTypeWrapper<CorrelationRowParentParent>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DroppedFeature: ResolverTypeWrapper<DroppedFeature>;
  EvaluationRequest: ResolverTypeWrapper<EvaluationRequestRowParent>;
  FeatureWeight: ResolverTypeWrapper<FeatureWeight>;
  FileHash: ResolverTypeWrapper<FileHash>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  HeldOutPrediction: ResolverTypeWrapper<HeldOutPrediction>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Job: ResolverTypeWrapper<JobRowParent>;
  JobPayload: ResolverTypeWrapper<JobPayloadParentParent>;
  JobProgress: ResolverTypeWrapper<JobProgress>;
  LeaderboardCell: ResolverTypeWrapper<LeaderboardCellParentParent>;
  LeaderboardConnection: ResolverTypeWrapper<LeaderboardConnectionParentParent>;
  LeaderboardEdge: ResolverTypeWrapper<LeaderboardEdgeParentParent>;
  LeaderboardRow: ResolverTypeWrapper<LeaderboardRowParentParent>;
  MissingPolicy: MissingPolicy;
  Model: ResolverTypeWrapper<ModelRowParent>;
  ModelConnection: ResolverTypeWrapper<ModelConnectionParentParent>;
  ModelEdge: ResolverTypeWrapper<ModelEdgeParentParent>;
  ModelFilter: ModelFilter;
  ModelInput: ModelInput;
  ModelOrder: ModelOrder;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NodeStatus: NodeStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PredictorRelation: PredictorRelation;
  ProvenanceInput: ProvenanceInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RequestEvaluationPayload: ResolverTypeWrapper<RequestEvaluationPayloadParentParent>;
  RobustnessPrediction: ResolverTypeWrapper<RobustnessPrediction>;
  RobustnessResult: ResolverTypeWrapper<RobustnessResultParentParent>;
  Run: ResolverTypeWrapper<RunRowParent>;
  RunKind: RunKind;
  RunProvenance: ResolverTypeWrapper<RunProvenance>;
  RunStatus: RunStatus;
  RunStudyPayload: ResolverTypeWrapper<RunStudyPayloadParentParent>;
  ScatterPoint: ResolverTypeWrapper<ScatterPointParentParent>;
  Score: ResolverTypeWrapper<ScoreRowParent>;
  ScoreChange: ResolverTypeWrapper<ScoreChangeRowParent>;
  ScoreConnection: ResolverTypeWrapper<ScoreConnectionParentParent>;
  ScoreEdge: ResolverTypeWrapper<ScoreEdgeParentParent>;
  ScoreFilter: ScoreFilter;
  ScoreInput: ScoreInput;
  ScoreSource: ScoreSource;
  ScoreStatus: ScoreStatus;
  ScoreVersion: ResolverTypeWrapper<ScoreVersionRowParent>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Study: ResolverTypeWrapper<StudyRowParent>;
  StudyAggregateFit: ResolverTypeWrapper<StudyAggregateFit>;
  StudyCell: ResolverTypeWrapper<StudyCell>;
  StudyColumn: ResolverTypeWrapper<StudyColumnParentParent>;
  StudyColumnRole: StudyColumnRole;
  StudyCorrelationRow: ResolverTypeWrapper<StudyCorrelationRow>;
  StudyCorrelationTable: ResolverTypeWrapper<StudyCorrelationTable>;
  StudyFailure: ResolverTypeWrapper<StudyFailure>;
  StudyModelProgress: ResolverTypeWrapper<StudyModelProgress>;
  StudyPredictor: ResolverTypeWrapper<StudyPredictor>;
  StudyProgress: ResolverTypeWrapper<StudyProgress>;
  StudyResult: ResolverTypeWrapper<StudyResultParentParent>;
  StudyRunningJob: ResolverTypeWrapper<StudyRunningJob>;
  Submission: ResolverTypeWrapper<SubmissionParentParent>;
  SubmitResultsInput: SubmitResultsInput;
  SubmitResultsPayload: ResolverTypeWrapper<SubmitResultsPayloadParentParent>;
  UserError: ResolverTypeWrapper<UserErrorParentParent>;
  UserErrorCode: UserErrorCode;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Benchmark: BenchmarkRowParent;
  Boolean: Scalars['Boolean']['output'];
  CorrelationRow: CorrelationRowParentParent;
  DateTime: Scalars['DateTime']['output'];
  DroppedFeature: DroppedFeature;
  EvaluationRequest: EvaluationRequestRowParent;
  FeatureWeight: FeatureWeight;
  FileHash: FileHash;
  Float: Scalars['Float']['output'];
  HeldOutPrediction: HeldOutPrediction;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  Job: JobRowParent;
  JobPayload: JobPayloadParentParent;
  JobProgress: JobProgress;
  LeaderboardCell: LeaderboardCellParentParent;
  LeaderboardConnection: LeaderboardConnectionParentParent;
  LeaderboardEdge: LeaderboardEdgeParentParent;
  LeaderboardRow: LeaderboardRowParentParent;
  Model: ModelRowParent;
  ModelConnection: ModelConnectionParentParent;
  ModelEdge: ModelEdgeParentParent;
  ModelFilter: ModelFilter;
  ModelInput: ModelInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  ProvenanceInput: ProvenanceInput;
  Query: Record<PropertyKey, never>;
  RequestEvaluationPayload: RequestEvaluationPayloadParentParent;
  RobustnessPrediction: RobustnessPrediction;
  RobustnessResult: RobustnessResultParentParent;
  Run: RunRowParent;
  RunProvenance: RunProvenance;
  RunStudyPayload: RunStudyPayloadParentParent;
  ScatterPoint: ScatterPointParentParent;
  Score: ScoreRowParent;
  ScoreChange: ScoreChangeRowParent;
  ScoreConnection: ScoreConnectionParentParent;
  ScoreEdge: ScoreEdgeParentParent;
  ScoreFilter: ScoreFilter;
  ScoreInput: ScoreInput;
  ScoreVersion: ScoreVersionRowParent;
  String: Scalars['String']['output'];
  Study: StudyRowParent;
  StudyAggregateFit: StudyAggregateFit;
  StudyCell: StudyCell;
  StudyColumn: StudyColumnParentParent;
  StudyCorrelationRow: StudyCorrelationRow;
  StudyCorrelationTable: StudyCorrelationTable;
  StudyFailure: StudyFailure;
  StudyModelProgress: StudyModelProgress;
  StudyPredictor: StudyPredictor;
  StudyProgress: StudyProgress;
  StudyResult: StudyResultParentParent;
  StudyRunningJob: StudyRunningJob;
  Submission: SubmissionParentParent;
  SubmitResultsInput: SubmitResultsInput;
  SubmitResultsPayload: SubmitResultsPayloadParentParent;
  UserError: UserErrorParentParent;
};

export type BenchmarkResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Benchmark'] = ResolversParentTypes['Benchmark']> = {
  ceiling?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  children?: Resolver<Array<ResolversTypes['Benchmark']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  domain?: Resolver<ResolversTypes['BenchmarkDomain'], ParentType, ContextType>;
  identifier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  isLeaf?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  metric?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parameters?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Benchmark']>, ParentType, ContextType>;
  rangeMax?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rangeMin?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scores?: Resolver<ResolversTypes['ScoreConnection'], ParentType, ContextType, RequireFields<BenchmarkScoresArgs, 'first'>>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CorrelationRowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CorrelationRow'] = ResolversParentTypes['CorrelationRow']> = {
  benchmark?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  ciHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coefficient?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  fPValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  fStatistic?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  intercept?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  partialCoefficient?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  partialPValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  qValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  r2?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rankingAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  relation?: Resolver<Maybe<ResolversTypes['PredictorRelation']>, ParentType, ContextType>;
  significant?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  slope?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DroppedFeatureResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DroppedFeature'] = ResolversParentTypes['DroppedFeature']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type EvaluationRequestResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EvaluationRequest'] = ResolversParentTypes['EvaluationRequest']> = {
  benchmarks?: Resolver<Array<ResolversTypes['Benchmark']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type FeatureWeightResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FeatureWeight'] = ResolversParentTypes['FeatureWeight']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type FileHashResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FileHash'] = ResolversParentTypes['FileHash']> = {
  file?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type HeldOutPredictionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HeldOutPrediction'] = ResolversParentTypes['HeldOutPrediction']> = {
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prediction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type JobResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Job'] = ResolversParentTypes['Job']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  benchmarkVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  computeSeconds?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  configuration?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  hasCheckpoint?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maxAttempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  progress?: Resolver<Maybe<ResolversTypes['JobProgress']>, ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['Run']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type JobPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobPayload'] = ResolversParentTypes['JobPayload']> = {
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type JobProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobProgress'] = ResolversParentTypes['JobProgress']> = {
  etaSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  fraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type LeaderboardCellResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LeaderboardCell'] = ResolversParentTypes['LeaderboardCell']> = {
  benchmark?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['NodeStatus'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type LeaderboardConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LeaderboardConnection'] = ResolversParentTypes['LeaderboardConnection']> = {
  columns?: Resolver<Array<ResolversTypes['Benchmark']>, ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['LeaderboardEdge']>, ParentType, ContextType>;
  missing?: Resolver<ResolversTypes['MissingPolicy'], ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  root?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LeaderboardEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LeaderboardEdge'] = ResolversParentTypes['LeaderboardEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['LeaderboardRow'], ParentType, ContextType>;
};

export type LeaderboardRowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LeaderboardRow'] = ResolversParentTypes['LeaderboardRow']> = {
  children?: Resolver<Array<ResolversTypes['LeaderboardCell']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  rank?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['NodeStatus'], ParentType, ContextType>;
};

export type ModelResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model']> = {
  architecture?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  evaluable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  family?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  identifier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  jobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<ModelJobsArgs, 'first'>>;
  license?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parameters?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  robustness?: Resolver<Array<ResolversTypes['RobustnessResult']>, ParentType, ContextType>;
  scores?: Resolver<Array<ResolversTypes['Score']>, ParentType, ContextType, Partial<ModelScoresArgs>>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  submittedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  trainingData?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  trainingRegime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ModelConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ModelConnection'] = ResolversParentTypes['ModelConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ModelEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ModelEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ModelEdge'] = ResolversParentTypes['ModelEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelJob?: Resolver<ResolversTypes['JobPayload'], ParentType, ContextType, RequireFields<MutationCancelJobArgs, 'id'>>;
  requestEvaluation?: Resolver<ResolversTypes['RequestEvaluationPayload'], ParentType, ContextType, RequireFields<MutationRequestEvaluationArgs, 'benchmarks' | 'force' | 'model'>>;
  retryJob?: Resolver<ResolversTypes['JobPayload'], ParentType, ContextType, RequireFields<MutationRetryJobArgs, 'id'>>;
  runStudy?: Resolver<ResolversTypes['RunStudyPayload'], ParentType, ContextType, RequireFields<MutationRunStudyArgs, 'id'>>;
  submitResults?: Resolver<ResolversTypes['SubmitResultsPayload'], ParentType, ContextType, RequireFields<MutationSubmitResultsArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  benchmark?: Resolver<Maybe<ResolversTypes['Benchmark']>, ParentType, ContextType, RequireFields<QueryBenchmarkArgs, 'identifier'>>;
  benchmarks?: Resolver<Array<ResolversTypes['Benchmark']>, ParentType, ContextType, Partial<QueryBenchmarksArgs>>;
  changes?: Resolver<Array<ResolversTypes['ScoreChange']>, ParentType, ContextType, RequireFields<QueryChangesArgs, 'first' | 'since'>>;
  correlations?: Resolver<Array<ResolversTypes['CorrelationRow']>, ParentType, ContextType, RequireFields<QueryCorrelationsArgs, 'bootstrap' | 'includeRelated' | 'method' | 'minN' | 'missing' | 'target'>>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobArgs, 'id'>>;
  jobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobsArgs, 'first' | 'offset'>>;
  leaderboard?: Resolver<ResolversTypes['LeaderboardConnection'], ParentType, ContextType, RequireFields<QueryLeaderboardArgs, 'first' | 'missing' | 'root'>>;
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'identifier'>>;
  models?: Resolver<ResolversTypes['ModelConnection'], ParentType, ContextType, RequireFields<QueryModelsArgs, 'first' | 'orderBy'>>;
  predictRobustness?: Resolver<ResolversTypes['RobustnessPrediction'], ParentType, ContextType, RequireFields<QueryPredictRobustnessArgs, 'folds' | 'lambda' | 'minN' | 'missing' | 'seed' | 'target'>>;
  scatter?: Resolver<Array<ResolversTypes['ScatterPoint']>, ParentType, ContextType, RequireFields<QueryScatterArgs, 'missing' | 'x' | 'y'>>;
  studies?: Resolver<Array<ResolversTypes['Study']>, ParentType, ContextType, RequireFields<QueryStudiesArgs, 'first' | 'latestOnly'>>;
  study?: Resolver<Maybe<ResolversTypes['Study']>, ParentType, ContextType, RequireFields<QueryStudyArgs, 'id'>>;
};

export type RequestEvaluationPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RequestEvaluationPayload'] = ResolversParentTypes['RequestEvaluationPayload']> = {
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  request?: Resolver<Maybe<ResolversTypes['EvaluationRequest']>, ParentType, ContextType>;
};

export type RobustnessPredictionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RobustnessPrediction'] = ResolversParentTypes['RobustnessPrediction']> = {
  dropped?: Resolver<Array<ResolversTypes['DroppedFeature']>, ParentType, ContextType>;
  folds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  heldOutRankingAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  heldOutSpearman?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  predictions?: Resolver<Array<ResolversTypes['HeldOutPrediction']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  selected?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  weights?: Resolver<Array<ResolversTypes['FeatureWeight']>, ParentType, ContextType>;
};

export type RobustnessResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RobustnessResult'] = ResolversParentTypes['RobustnessResult']> = {
  benchmark?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  dataset?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eps?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  epsLabel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  norm?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  robustAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Score'], ParentType, ContextType>;
};

export type RunResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Run'] = ResolversParentTypes['Run']> = {
  artifacts?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  configuration?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  environment?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['RunKind'], ParentType, ContextType>;
  producer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  producerVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provenance?: Resolver<Maybe<ResolversTypes['RunProvenance']>, ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
};

export type RunProvenanceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RunProvenance'] = ResolversParentTypes['RunProvenance']> = {
  dataBundleVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  decisionFiles?: Resolver<Array<ResolversTypes['FileHash']>, ParentType, ContextType>;
  evaluatorVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  humanTrialFiles?: Resolver<Array<ResolversTypes['FileHash']>, ParentType, ContextType>;
  imageCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  imageSetSha256?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sourceCommit?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sourceDirty?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
};

export type RunStudyPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RunStudyPayload'] = ResolversParentTypes['RunStudyPayload']> = {
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  study?: Resolver<Maybe<ResolversTypes['Study']>, ParentType, ContextType>;
};

export type ScatterPointResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ScatterPoint'] = ResolversParentTypes['ScatterPoint']> = {
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  y?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ScoreResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Score'] = ResolversParentTypes['Score']> = {
  benchmark?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  benchmarkVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  ceiledValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ceiling?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciMethod?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  history?: Resolver<Array<ResolversTypes['ScoreVersion']>, ParentType, ContextType, Partial<ScoreHistoryArgs>>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  rawValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['Run']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['ScoreSource']>, ParentType, ContextType>;
  standardError?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ScoreStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type ScoreChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ScoreChange'] = ResolversParentTypes['ScoreChange']> = {
  after?: Resolver<ResolversTypes['ScoreVersion'], ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['ScoreVersion']>, ParentType, ContextType>;
  benchmark?: Resolver<ResolversTypes['Benchmark'], ParentType, ContextType>;
  benchmarkVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['ChangeReason'], ParentType, ContextType>;
};

export type ScoreConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ScoreConnection'] = ResolversParentTypes['ScoreConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ScoreEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ScoreEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ScoreEdge'] = ResolversParentTypes['ScoreEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Score'], ParentType, ContextType>;
};

export type ScoreVersionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ScoreVersion'] = ResolversParentTypes['ScoreVersion']> = {
  ceiledValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciMethod?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rawValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  recordedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['Run']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['ScoreSource']>, ParentType, ContextType>;
  sourceBenchmarkVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ScoreStatus'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StudyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Study'] = ResolversParentTypes['Study']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  definition?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failures?: Resolver<Array<ResolversTypes['StudyFailure']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<StudyJobsArgs, 'first'>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  plan?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['StudyProgress'], ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['StudyResult']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StudyAggregateFitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyAggregateFit'] = ResolversParentTypes['StudyAggregateFit']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  f?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  fP?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  r2?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StudyCellResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyCell'] = ResolversParentTypes['StudyCell']> = {
  ciHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StudyColumnResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyColumn'] = ResolversParentTypes['StudyColumn']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  cells?: Resolver<Array<ResolversTypes['StudyCell']>, ParentType, ContextType, RequireFields<StudyColumnCellsArgs, 'first' | 'offset'>>;
  intervalMethods?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['StudyColumnRole']>, ParentType, ContextType>;
};

export type StudyCorrelationRowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyCorrelationRow'] = ResolversParentTypes['StudyCorrelationRow']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ciHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ciLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coefficient?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  fPValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  fStatistic?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  intercept?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  partialCoefficient?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  partialPValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  qValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  r2?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rankingAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  significant?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  slope?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StudyCorrelationTableResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyCorrelationTable'] = ResolversParentTypes['StudyCorrelationTable']> = {
  rows?: Resolver<Array<ResolversTypes['StudyCorrelationRow']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StudyFailureResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyFailure'] = ResolversParentTypes['StudyFailure']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  limit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StudyModelProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyModelProgress'] = ResolversParentTypes['StudyModelProgress']> = {
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  jobs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StudyPredictorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyPredictor'] = ResolversParentTypes['StudyPredictor']> = {
  features?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  folds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  heldOutRankingAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  heldOutSpearman?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  predictions?: Resolver<Array<ResolversTypes['HeldOutPrediction']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type StudyProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyProgress'] = ResolversParentTypes['StudyProgress']> = {
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  jobs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['StudyModelProgress']>, ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  runningJobs?: Resolver<Array<ResolversTypes['StudyRunningJob']>, ParentType, ContextType>;
  settled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StudyResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyResult'] = ResolversParentTypes['StudyResult']> = {
  aggregates?: Resolver<Array<ResolversTypes['StudyAggregateFit']>, ParentType, ContextType>;
  columns?: Resolver<Maybe<Array<ResolversTypes['StudyColumn']>>, ParentType, ContextType, RequireFields<StudyResultColumnsArgs, 'first' | 'offset'>>;
  computedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  correlations?: Resolver<Array<ResolversTypes['StudyCorrelationTable']>, ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  predictor?: Resolver<Array<ResolversTypes['StudyPredictor']>, ParentType, ContextType>;
  provenance?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
};

export type StudyRunningJobResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StudyRunningJob'] = ResolversParentTypes['StudyRunningJob']> = {
  benchmark?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  etaSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  fraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  jobId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubmissionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Submission'] = ResolversParentTypes['Submission']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payloadSha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubmitResultsPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SubmitResultsPayload'] = ResolversParentTypes['SubmitResultsPayload']> = {
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  scores?: Resolver<Array<ResolversTypes['Score']>, ParentType, ContextType>;
  submission?: Resolver<Maybe<ResolversTypes['Submission']>, ParentType, ContextType>;
};

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = {
  code?: Resolver<ResolversTypes['UserErrorCode'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Benchmark?: BenchmarkResolvers<ContextType>;
  CorrelationRow?: CorrelationRowResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DroppedFeature?: DroppedFeatureResolvers<ContextType>;
  EvaluationRequest?: EvaluationRequestResolvers<ContextType>;
  FeatureWeight?: FeatureWeightResolvers<ContextType>;
  FileHash?: FileHashResolvers<ContextType>;
  HeldOutPrediction?: HeldOutPredictionResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Job?: JobResolvers<ContextType>;
  JobPayload?: JobPayloadResolvers<ContextType>;
  JobProgress?: JobProgressResolvers<ContextType>;
  LeaderboardCell?: LeaderboardCellResolvers<ContextType>;
  LeaderboardConnection?: LeaderboardConnectionResolvers<ContextType>;
  LeaderboardEdge?: LeaderboardEdgeResolvers<ContextType>;
  LeaderboardRow?: LeaderboardRowResolvers<ContextType>;
  Model?: ModelResolvers<ContextType>;
  ModelConnection?: ModelConnectionResolvers<ContextType>;
  ModelEdge?: ModelEdgeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RequestEvaluationPayload?: RequestEvaluationPayloadResolvers<ContextType>;
  RobustnessPrediction?: RobustnessPredictionResolvers<ContextType>;
  RobustnessResult?: RobustnessResultResolvers<ContextType>;
  Run?: RunResolvers<ContextType>;
  RunProvenance?: RunProvenanceResolvers<ContextType>;
  RunStudyPayload?: RunStudyPayloadResolvers<ContextType>;
  ScatterPoint?: ScatterPointResolvers<ContextType>;
  Score?: ScoreResolvers<ContextType>;
  ScoreChange?: ScoreChangeResolvers<ContextType>;
  ScoreConnection?: ScoreConnectionResolvers<ContextType>;
  ScoreEdge?: ScoreEdgeResolvers<ContextType>;
  ScoreVersion?: ScoreVersionResolvers<ContextType>;
  Study?: StudyResolvers<ContextType>;
  StudyAggregateFit?: StudyAggregateFitResolvers<ContextType>;
  StudyCell?: StudyCellResolvers<ContextType>;
  StudyColumn?: StudyColumnResolvers<ContextType>;
  StudyCorrelationRow?: StudyCorrelationRowResolvers<ContextType>;
  StudyCorrelationTable?: StudyCorrelationTableResolvers<ContextType>;
  StudyFailure?: StudyFailureResolvers<ContextType>;
  StudyModelProgress?: StudyModelProgressResolvers<ContextType>;
  StudyPredictor?: StudyPredictorResolvers<ContextType>;
  StudyProgress?: StudyProgressResolvers<ContextType>;
  StudyResult?: StudyResultResolvers<ContextType>;
  StudyRunningJob?: StudyRunningJobResolvers<ContextType>;
  Submission?: SubmissionResolvers<ContextType>;
  SubmitResultsPayload?: SubmitResultsPayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
};

