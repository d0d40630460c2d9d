/* eslint-disable */
import * as types from './graphql';



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
    "\n  query WebJobs($model: String, $state: String, $first: Int) {\n    jobs(model: $model, state: $state, first: $first) {\n      id benchmark state attempts maxAttempts error\n      model { identifier }\n      progress { fraction stage etaSeconds }\n      run { id }\n    }\n  }\n": typeof types.WebJobsDocument,
    "\n  mutation WebCancelJob($id: ID!) {\n    cancelJob(id: $id) { ok errors { code message } }\n  }\n": typeof types.WebCancelJobDocument,
    "\n  mutation WebRetryJob($id: ID!) {\n    retryJob(id: $id) { ok errors { code message } }\n  }\n": typeof types.WebRetryJobDocument,
    "\n  mutation WebSubmitResults($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName }\n      submission { id }\n      errors { code message path }\n    }\n  }\n": typeof types.WebSubmitResultsDocument,
    "\n  mutation WebRequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status createdAt model { identifier } benchmarks { identifier } }\n      errors { code message path }\n    }\n  }\n": typeof types.WebRequestEvaluationDocument,
};
const documents: Documents = {
    "\n  query WebJobs($model: String, $state: String, $first: Int) {\n    jobs(model: $model, state: $state, first: $first) {\n      id benchmark state attempts maxAttempts error\n      model { identifier }\n      progress { fraction stage etaSeconds }\n      run { id }\n    }\n  }\n": types.WebJobsDocument,
    "\n  mutation WebCancelJob($id: ID!) {\n    cancelJob(id: $id) { ok errors { code message } }\n  }\n": types.WebCancelJobDocument,
    "\n  mutation WebRetryJob($id: ID!) {\n    retryJob(id: $id) { ok errors { code message } }\n  }\n": types.WebRetryJobDocument,
    "\n  mutation WebSubmitResults($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName }\n      submission { id }\n      errors { code message path }\n    }\n  }\n": types.WebSubmitResultsDocument,
    "\n  mutation WebRequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status createdAt model { identifier } benchmarks { identifier } }\n      errors { code message path }\n    }\n  }\n": types.WebRequestEvaluationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebJobs($model: String, $state: String, $first: Int) {\n    jobs(model: $model, state: $state, first: $first) {\n      id benchmark state attempts maxAttempts error\n      model { identifier }\n      progress { fraction stage etaSeconds }\n      run { id }\n    }\n  }\n"): typeof import('./graphql').WebJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebCancelJob($id: ID!) {\n    cancelJob(id: $id) { ok errors { code message } }\n  }\n"): typeof import('./graphql').WebCancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebRetryJob($id: ID!) {\n    retryJob(id: $id) { ok errors { code message } }\n  }\n"): typeof import('./graphql').WebRetryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebSubmitResults($input: SubmitResultsInput!) {\n    submitResults(input: $input) {\n      ok\n      duplicate\n      model { identifier displayName }\n      submission { id }\n      errors { code message path }\n    }\n  }\n"): typeof import('./graphql').WebSubmitResultsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebRequestEvaluation($model: String!, $benchmarks: [String!]!) {\n    requestEvaluation(model: $model, benchmarks: $benchmarks) {\n      ok\n      request { id status createdAt model { identifier } benchmarks { identifier } }\n      errors { code message path }\n    }\n  }\n"): typeof import('./graphql').WebRequestEvaluationDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
