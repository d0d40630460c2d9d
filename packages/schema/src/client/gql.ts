/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Submit($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName family submittedBy }\n      scores { benchmark { identifier } status value rawValue ceiledValue error ceiling ciLow ciHigh ciMethod run { id kind producer configuration } }\n      submission { id payloadSha256 }\n      errors { code message path }\n    }\n  }\n": typeof types.SubmitDocument,
    "\n  mutation RequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status model { identifier } benchmarks { identifier } createdAt jobs { id benchmark state attempts } }\n      errors { code message path }\n    }\n  }\n": typeof types.RequestEvaluationDocument,
    "\n  query ModelBack($identifier: String!) {\n    model(identifier: $identifier) {\n      identifier displayName family trainingData submittedBy\n      scores { benchmark { identifier } value run { kind configuration } }\n    }\n  }\n": typeof types.ModelBackDocument,
    "\n  query Jobs($state: String, $model: String) {\n    jobs(state: $state, model: $model) { id benchmark state attempts maxAttempts hasCheckpoint error progress { fraction stage etaSeconds } model { identifier } run { id } }\n  }\n": typeof types.JobsDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) { ok job { id state } errors { code message path } }\n  }\n": typeof types.CancelJobDocument,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) { ok job { id state attempts } errors { code message path } }\n  }\n": typeof types.RetryJobDocument,
    "\n  query ModelsPage($first: Int, $after: String, $filter: ModelFilter, $orderBy: ModelOrder) {\n    models(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { identifier family trainingRegime } }\n    }\n  }\n": typeof types.ModelsPageDocument,
    "\n  query ModelDetail($identifier: String!, $filter: ScoreFilter) {\n    model(identifier: $identifier) {\n      identifier displayName architecture family trainingRegime trainingData parameters source license\n      submittedBy evaluable createdAt\n      scores(filter: $filter) {\n        status value rawValue ceiledValue error ceiling benchmarkVersion updatedAt\n        benchmark { identifier domain }\n        model { identifier }\n        run { id kind }\n      }\n      robustness { benchmark { identifier } robustAccuracy norm eps epsLabel profile dataset score { status } }\n    }\n  }\n": typeof types.ModelDetailDocument,
    "\n  query BenchmarkTree($root: String) {\n    benchmarks(root: $root) {\n      identifier domain isLeaf\n      children { identifier parent { identifier } children { identifier isLeaf children { identifier } } }\n    }\n  }\n": typeof types.BenchmarkTreeDocument,
    "\n  query BenchmarkScores($identifier: String!, $first: Int, $after: String) {\n    benchmark(identifier: $identifier) {\n      identifier version displayName metric ceiling rangeMin rangeMax description reference parameters\n      parent { identifier }\n      scores(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { model { identifier } status value } }\n      }\n    }\n  }\n": typeof types.BenchmarkScoresDocument,
    "\n  query Leaderboard($root: String!, $missing: MissingPolicy, $first: Int, $after: String) {\n    leaderboard(root: $root, missing: $missing, first: $first, after: $after) {\n      root { identifier }\n      missing\n      columns { identifier }\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          rank score status\n          model { identifier displayName family }\n          children { benchmark { identifier } value status }\n        }\n      }\n    }\n  }\n": typeof types.LeaderboardDocument,
    "\n  query LeaderboardWithScores($first: Int) {\n    leaderboard(root: \"average_vision\", first: $first) {\n      edges { node { rank model { identifier scores { value run { kind } } } } }\n    }\n  }\n": typeof types.LeaderboardWithScoresDocument,
    "\n  query Correlations($target: String!, $method: CorrelationMethod, $covariate: String, $minN: Int, $bootstrap: Int, $includeRelated: Boolean) {\n    correlations(target: $target, method: $method, covariate: $covariate, minN: $minN, bootstrap: $bootstrap, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      partialCoefficient partialPValue significant reason relation\n    }\n  }\n": typeof types.CorrelationsDocument,
    "\n  query Scatter($x: String!, $y: String!) {\n    scatter(x: $x, y: $y) { model { identifier } x y }\n  }\n": typeof types.ScatterDocument,
    "\n  query BoardLeaderboard($root: String!, $after: String) {\n    leaderboard(root: $root, missing: ZERO, first: 100, after: $after) {\n      edges { node { rank score model { identifier } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.BoardLeaderboardDocument,
    "\n  query BoardCorrelations($target: String!, $includeRelated: Boolean) {\n    correlations(target: $target, missing: SKIP, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      significant reason relation\n    }\n  }\n": typeof types.BoardCorrelationsDocument,
    "\n  query RunProvenance($identifier: String!) {\n    model(identifier: $identifier) {\n      scores {\n        benchmark { identifier }\n        standardError\n        run {\n          errorMessage\n          provenance {\n            evaluatorVersion sourceCommit sourceDirty dataBundleVersion imageSetSha256 imageCount\n            humanTrialFiles { file sha256 }\n            decisionFiles { file sha256 }\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunProvenanceDocument,
    "\n  query ErrorNames {\n    score: __type(name: \"Score\") { fields(includeDeprecated: true) { name isDeprecated } }\n    run: __type(name: \"Run\") { fields(includeDeprecated: true) { name isDeprecated } }\n  }\n": typeof types.ErrorNamesDocument,
};
const documents: Documents = {
    "\n  mutation Submit($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName family submittedBy }\n      scores { benchmark { identifier } status value rawValue ceiledValue error ceiling ciLow ciHigh ciMethod run { id kind producer configuration } }\n      submission { id payloadSha256 }\n      errors { code message path }\n    }\n  }\n": types.SubmitDocument,
    "\n  mutation RequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status model { identifier } benchmarks { identifier } createdAt jobs { id benchmark state attempts } }\n      errors { code message path }\n    }\n  }\n": types.RequestEvaluationDocument,
    "\n  query ModelBack($identifier: String!) {\n    model(identifier: $identifier) {\n      identifier displayName family trainingData submittedBy\n      scores { benchmark { identifier } value run { kind configuration } }\n    }\n  }\n": types.ModelBackDocument,
    "\n  query Jobs($state: String, $model: String) {\n    jobs(state: $state, model: $model) { id benchmark state attempts maxAttempts hasCheckpoint error progress { fraction stage etaSeconds } model { identifier } run { id } }\n  }\n": types.JobsDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) { ok job { id state } errors { code message path } }\n  }\n": types.CancelJobDocument,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) { ok job { id state attempts } errors { code message path } }\n  }\n": types.RetryJobDocument,
    "\n  query ModelsPage($first: Int, $after: String, $filter: ModelFilter, $orderBy: ModelOrder) {\n    models(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { identifier family trainingRegime } }\n    }\n  }\n": types.ModelsPageDocument,
    "\n  query ModelDetail($identifier: String!, $filter: ScoreFilter) {\n    model(identifier: $identifier) {\n      identifier displayName architecture family trainingRegime trainingData parameters source license\n      submittedBy evaluable createdAt\n      scores(filter: $filter) {\n        status value rawValue ceiledValue error ceiling benchmarkVersion updatedAt\n        benchmark { identifier domain }\n        model { identifier }\n        run { id kind }\n      }\n      robustness { benchmark { identifier } robustAccuracy norm eps epsLabel profile dataset score { status } }\n    }\n  }\n": types.ModelDetailDocument,
    "\n  query BenchmarkTree($root: String) {\n    benchmarks(root: $root) {\n      identifier domain isLeaf\n      children { identifier parent { identifier } children { identifier isLeaf children { identifier } } }\n    }\n  }\n": types.BenchmarkTreeDocument,
    "\n  query BenchmarkScores($identifier: String!, $first: Int, $after: String) {\n    benchmark(identifier: $identifier) {\n      identifier version displayName metric ceiling rangeMin rangeMax description reference parameters\n      parent { identifier }\n      scores(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { model { identifier } status value } }\n      }\n    }\n  }\n": types.BenchmarkScoresDocument,
    "\n  query Leaderboard($root: String!, $missing: MissingPolicy, $first: Int, $after: String) {\n    leaderboard(root: $root, missing: $missing, first: $first, after: $after) {\n      root { identifier }\n      missing\n      columns { identifier }\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          rank score status\n          model { identifier displayName family }\n          children { benchmark { identifier } value status }\n        }\n      }\n    }\n  }\n": types.LeaderboardDocument,
    "\n  query LeaderboardWithScores($first: Int) {\n    leaderboard(root: \"average_vision\", first: $first) {\n      edges { node { rank model { identifier scores { value run { kind } } } } }\n    }\n  }\n": types.LeaderboardWithScoresDocument,
    "\n  query Correlations($target: String!, $method: CorrelationMethod, $covariate: String, $minN: Int, $bootstrap: Int, $includeRelated: Boolean) {\n    correlations(target: $target, method: $method, covariate: $covariate, minN: $minN, bootstrap: $bootstrap, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      partialCoefficient partialPValue significant reason relation\n    }\n  }\n": types.CorrelationsDocument,
    "\n  query Scatter($x: String!, $y: String!) {\n    scatter(x: $x, y: $y) { model { identifier } x y }\n  }\n": types.ScatterDocument,
    "\n  query BoardLeaderboard($root: String!, $after: String) {\n    leaderboard(root: $root, missing: ZERO, first: 100, after: $after) {\n      edges { node { rank score model { identifier } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.BoardLeaderboardDocument,
    "\n  query BoardCorrelations($target: String!, $includeRelated: Boolean) {\n    correlations(target: $target, missing: SKIP, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      significant reason relation\n    }\n  }\n": types.BoardCorrelationsDocument,
    "\n  query RunProvenance($identifier: String!) {\n    model(identifier: $identifier) {\n      scores {\n        benchmark { identifier }\n        standardError\n        run {\n          errorMessage\n          provenance {\n            evaluatorVersion sourceCommit sourceDirty dataBundleVersion imageSetSha256 imageCount\n            humanTrialFiles { file sha256 }\n            decisionFiles { file sha256 }\n          }\n        }\n      }\n    }\n  }\n": types.RunProvenanceDocument,
    "\n  query ErrorNames {\n    score: __type(name: \"Score\") { fields(includeDeprecated: true) { name isDeprecated } }\n    run: __type(name: \"Run\") { fields(includeDeprecated: true) { name isDeprecated } }\n  }\n": types.ErrorNamesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Submit($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName family submittedBy }\n      scores { benchmark { identifier } status value rawValue ceiledValue error ceiling ciLow ciHigh ciMethod run { id kind producer configuration } }\n      submission { id payloadSha256 }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation Submit($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName family submittedBy }\n      scores { benchmark { identifier } status value rawValue ceiledValue error ceiling ciLow ciHigh ciMethod run { id kind producer configuration } }\n      submission { id payloadSha256 }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status model { identifier } benchmarks { identifier } createdAt jobs { id benchmark state attempts } }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status model { identifier } benchmarks { identifier } createdAt jobs { id benchmark state attempts } }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelBack($identifier: String!) {\n    model(identifier: $identifier) {\n      identifier displayName family trainingData submittedBy\n      scores { benchmark { identifier } value run { kind configuration } }\n    }\n  }\n"): (typeof documents)["\n  query ModelBack($identifier: String!) {\n    model(identifier: $identifier) {\n      identifier displayName family trainingData submittedBy\n      scores { benchmark { identifier } value run { kind configuration } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($state: String, $model: String) {\n    jobs(state: $state, model: $model) { id benchmark state attempts maxAttempts hasCheckpoint error progress { fraction stage etaSeconds } model { identifier } run { id } }\n  }\n"): (typeof documents)["\n  query Jobs($state: String, $model: String) {\n    jobs(state: $state, model: $model) { id benchmark state attempts maxAttempts hasCheckpoint error progress { fraction stage etaSeconds } model { identifier } run { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) { ok job { id state } errors { code message path } }\n  }\n"): (typeof documents)["\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) { ok job { id state } errors { code message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) { ok job { id state attempts } errors { code message path } }\n  }\n"): (typeof documents)["\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) { ok job { id state attempts } errors { code message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelsPage($first: Int, $after: String, $filter: ModelFilter, $orderBy: ModelOrder) {\n    models(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { identifier family trainingRegime } }\n    }\n  }\n"): (typeof documents)["\n  query ModelsPage($first: Int, $after: String, $filter: ModelFilter, $orderBy: ModelOrder) {\n    models(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { identifier family trainingRegime } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDetail($identifier: String!, $filter: ScoreFilter) {\n    model(identifier: $identifier) {\n      identifier displayName architecture family trainingRegime trainingData parameters source license\n      submittedBy evaluable createdAt\n      scores(filter: $filter) {\n        status value rawValue ceiledValue error ceiling benchmarkVersion updatedAt\n        benchmark { identifier domain }\n        model { identifier }\n        run { id kind }\n      }\n      robustness { benchmark { identifier } robustAccuracy norm eps epsLabel profile dataset score { status } }\n    }\n  }\n"): (typeof documents)["\n  query ModelDetail($identifier: String!, $filter: ScoreFilter) {\n    model(identifier: $identifier) {\n      identifier displayName architecture family trainingRegime trainingData parameters source license\n      submittedBy evaluable createdAt\n      scores(filter: $filter) {\n        status value rawValue ceiledValue error ceiling benchmarkVersion updatedAt\n        benchmark { identifier domain }\n        model { identifier }\n        run { id kind }\n      }\n      robustness { benchmark { identifier } robustAccuracy norm eps epsLabel profile dataset score { status } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BenchmarkTree($root: String) {\n    benchmarks(root: $root) {\n      identifier domain isLeaf\n      children { identifier parent { identifier } children { identifier isLeaf children { identifier } } }\n    }\n  }\n"): (typeof documents)["\n  query BenchmarkTree($root: String) {\n    benchmarks(root: $root) {\n      identifier domain isLeaf\n      children { identifier parent { identifier } children { identifier isLeaf children { identifier } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BenchmarkScores($identifier: String!, $first: Int, $after: String) {\n    benchmark(identifier: $identifier) {\n      identifier version displayName metric ceiling rangeMin rangeMax description reference parameters\n      parent { identifier }\n      scores(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { model { identifier } status value } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query BenchmarkScores($identifier: String!, $first: Int, $after: String) {\n    benchmark(identifier: $identifier) {\n      identifier version displayName metric ceiling rangeMin rangeMax description reference parameters\n      parent { identifier }\n      scores(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { model { identifier } status value } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Leaderboard($root: String!, $missing: MissingPolicy, $first: Int, $after: String) {\n    leaderboard(root: $root, missing: $missing, first: $first, after: $after) {\n      root { identifier }\n      missing\n      columns { identifier }\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          rank score status\n          model { identifier displayName family }\n          children { benchmark { identifier } value status }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Leaderboard($root: String!, $missing: MissingPolicy, $first: Int, $after: String) {\n    leaderboard(root: $root, missing: $missing, first: $first, after: $after) {\n      root { identifier }\n      missing\n      columns { identifier }\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          rank score status\n          model { identifier displayName family }\n          children { benchmark { identifier } value status }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeaderboardWithScores($first: Int) {\n    leaderboard(root: \"average_vision\", first: $first) {\n      edges { node { rank model { identifier scores { value run { kind } } } } }\n    }\n  }\n"): (typeof documents)["\n  query LeaderboardWithScores($first: Int) {\n    leaderboard(root: \"average_vision\", first: $first) {\n      edges { node { rank model { identifier scores { value run { kind } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Correlations($target: String!, $method: CorrelationMethod, $covariate: String, $minN: Int, $bootstrap: Int, $includeRelated: Boolean) {\n    correlations(target: $target, method: $method, covariate: $covariate, minN: $minN, bootstrap: $bootstrap, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      partialCoefficient partialPValue significant reason relation\n    }\n  }\n"): (typeof documents)["\n  query Correlations($target: String!, $method: CorrelationMethod, $covariate: String, $minN: Int, $bootstrap: Int, $includeRelated: Boolean) {\n    correlations(target: $target, method: $method, covariate: $covariate, minN: $minN, bootstrap: $bootstrap, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      partialCoefficient partialPValue significant reason relation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Scatter($x: String!, $y: String!) {\n    scatter(x: $x, y: $y) { model { identifier } x y }\n  }\n"): (typeof documents)["\n  query Scatter($x: String!, $y: String!) {\n    scatter(x: $x, y: $y) { model { identifier } x y }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BoardLeaderboard($root: String!, $after: String) {\n    leaderboard(root: $root, missing: ZERO, first: 100, after: $after) {\n      edges { node { rank score model { identifier } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query BoardLeaderboard($root: String!, $after: String) {\n    leaderboard(root: $root, missing: ZERO, first: 100, after: $after) {\n      edges { node { rank score model { identifier } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BoardCorrelations($target: String!, $includeRelated: Boolean) {\n    correlations(target: $target, missing: SKIP, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      significant reason relation\n    }\n  }\n"): (typeof documents)["\n  query BoardCorrelations($target: String!, $includeRelated: Boolean) {\n    correlations(target: $target, missing: SKIP, includeRelated: $includeRelated) {\n      benchmark { identifier }\n      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept\n      significant reason relation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunProvenance($identifier: String!) {\n    model(identifier: $identifier) {\n      scores {\n        benchmark { identifier }\n        standardError\n        run {\n          errorMessage\n          provenance {\n            evaluatorVersion sourceCommit sourceDirty dataBundleVersion imageSetSha256 imageCount\n            humanTrialFiles { file sha256 }\n            decisionFiles { file sha256 }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunProvenance($identifier: String!) {\n    model(identifier: $identifier) {\n      scores {\n        benchmark { identifier }\n        standardError\n        run {\n          errorMessage\n          provenance {\n            evaluatorVersion sourceCommit sourceDirty dataBundleVersion imageSetSha256 imageCount\n            humanTrialFiles { file sha256 }\n            decisionFiles { file sha256 }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorNames {\n    score: __type(name: \"Score\") { fields(includeDeprecated: true) { name isDeprecated } }\n    run: __type(name: \"Run\") { fields(includeDeprecated: true) { name isDeprecated } }\n  }\n"): (typeof documents)["\n  query ErrorNames {\n    score: __type(name: \"Score\") { fields(includeDeprecated: true) { name isDeprecated } }\n    run: __type(name: \"Run\") { fields(includeDeprecated: true) { name isDeprecated } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;