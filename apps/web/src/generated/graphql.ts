/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A model's identifier and metadata (strings up to 200 characters). */
export type ModelInput = {
  /** Network architecture. */
  architecture?: string | null | undefined;
  /** Name for display (default: the identifier). */
  displayName?: string | null | undefined;
  /** Model family. */
  family?: string | null | undefined;
  /** 1 to 100 characters: letters, digits and . _ - : / + @ */
  identifier: string;
  /** Licence. */
  license?: string | null | undefined;
  /** Number of parameters (a non-negative integer). */
  parameters?: number | null | undefined;
  /** Where the model comes from. */
  source?: string | null | undefined;
  /** Training data set. */
  trainingData?: string | null | undefined;
  /** Training regime: standard, adversarial, self-supervised, shape-biased... */
  trainingRegime?: string | null | undefined;
};

/** Provenance of submitted scores, stored with the run. */
export type ProvenanceInput = {
  /** Configuration (seed, images, attack profile...); at most 16 kB as JSON. */
  configuration?: unknown;
  /** Environment (package versions, hardware...); at most 16 kB as JSON. */
  environment?: unknown;
  /** The tool that computed the scores (default: submission). */
  producer?: string | null | undefined;
  /** Its version. */
  producerVersion?: string | null | undefined;
};

/** One score of a submission. */
export type ScoreInput = {
  /** Identifier of a leaf benchmark. */
  benchmark: string;
  /** The ceiling used (positive). */
  ceiling?: number | null | undefined;
  /** Upper bound of the interval. */
  ciHigh?: number | null | undefined;
  /** Lower bound of an uncertainty interval around value (with ciHigh and ciMethod; must contain the value). Without one, error becomes a ±1 error band, else the score is stored without an interval. */
  ciLow?: number | null | undefined;
  /** How the interval was computed (e.g. 'clopper-pearson 95%'), stored as 'submitted: <text>'. */
  ciMethod?: string | null | undefined;
  /** Uncertainty of the value (non-negative). */
  error?: number | null | undefined;
  /** The value before ceiling, within the benchmark's [rangeMin, rangeMax]. */
  rawValue?: number | null | undefined;
  /** SCORED (needs value), FAILED or NOT_RUN. */
  status?: ScoreStatus | null | undefined;
  /** The score: the ceiled score of a neural or behavioral benchmark with a ceiling, else the raw score; within the benchmark's [rangeMin, rangeMax]. */
  value?: number | null | undefined;
};

/** The state of a score: never folded into one another. */
export type ScoreStatus =
  /** The benchmark ran and failed. */
  | 'FAILED'
  /** The benchmark was not run for this model. */
  | 'NOT_RUN'
  /** A value was produced. */
  | 'SCORED';

/** A results submission. */
export type SubmitResultsInput = {
  /** The model: its identifier and any metadata to set. */
  model: ModelInput;
  /** How the scores were produced. */
  provenance?: ProvenanceInput | null | undefined;
  /** Scores of leaf benchmarks (at most 500, each benchmark once). */
  scores: Array<ScoreInput>;
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

export type WebJobsQueryVariables = Exact<{
  model?: string | null | undefined;
  state?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type WebJobsQuery = { jobs: Array<{ id: string, benchmark: string, state: string, attempts: number, maxAttempts: number, error: string | null, model: { identifier: string }, progress: { fraction: number, stage: string, etaSeconds: number | null } | null, run: { id: string } | null }> };

export type WebCancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type WebCancelJobMutation = { cancelJob: { ok: boolean, errors: Array<{ code: UserErrorCode, message: string }> } };

export type WebRetryJobMutationVariables = Exact<{
  id: string | number;
}>;


export type WebRetryJobMutation = { retryJob: { ok: boolean, errors: Array<{ code: UserErrorCode, message: string }> } };

export type WebSubmitResultsMutationVariables = Exact<{
  input: SubmitResultsInput;
}>;


export type WebSubmitResultsMutation = { submitResults: { ok: boolean, duplicate: boolean, model: { identifier: string, displayName: string } | null, submission: { id: string } | null, errors: Array<{ code: UserErrorCode, message: string, path: Array<string> }> } };

export type WebRequestEvaluationMutationVariables = Exact<{
  model: string;
  benchmarks: Array<string> | string;
}>;


export type WebRequestEvaluationMutation = { requestEvaluation: { ok: boolean, request: { id: string, status: string, createdAt: string, model: { identifier: string }, benchmarks: Array<{ identifier: string }> } | null, errors: Array<{ code: UserErrorCode, message: string, path: Array<string> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const WebJobsDocument = new TypedDocumentString(`
    query WebJobs($model: String, $state: String, $first: Int) {
  jobs(model: $model, state: $state, first: $first) {
    id
    benchmark
    state
    attempts
    maxAttempts
    error
    model {
      identifier
    }
    progress {
      fraction
      stage
      etaSeconds
    }
    run {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<WebJobsQuery, WebJobsQueryVariables>;
export const WebCancelJobDocument = new TypedDocumentString(`
    mutation WebCancelJob($id: ID!) {
  cancelJob(id: $id) {
    ok
    errors {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<WebCancelJobMutation, WebCancelJobMutationVariables>;
export const WebRetryJobDocument = new TypedDocumentString(`
    mutation WebRetryJob($id: ID!) {
  retryJob(id: $id) {
    ok
    errors {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<WebRetryJobMutation, WebRetryJobMutationVariables>;
export const WebSubmitResultsDocument = new TypedDocumentString(`
    mutation WebSubmitResults($input: SubmitResultsInput!) {
  submitResults(input: $input) {
    ok
    duplicate
    model {
      identifier
      displayName
    }
    submission {
      id
    }
    errors {
      code
      message
      path
    }
  }
}
    `) as unknown as TypedDocumentString<WebSubmitResultsMutation, WebSubmitResultsMutationVariables>;
export const WebRequestEvaluationDocument = new TypedDocumentString(`
    mutation WebRequestEvaluation($model: String!, $benchmarks: [String!]!) {
  requestEvaluation(model: $model, benchmarks: $benchmarks) {
    ok
    request {
      id
      status
      createdAt
      model {
        identifier
      }
      benchmarks {
        identifier
      }
    }
    errors {
      code
      message
      path
    }
  }
}
    `) as unknown as TypedDocumentString<WebRequestEvaluationMutation, WebRequestEvaluationMutationVariables>;