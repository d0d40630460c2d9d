/**
 * What resolvers pass down as the parent of each GraphQL object type (the codegen mappers): database
 * rows where a type is a row, small records where it is computed.
 */

import type { StoredStudyResult, StudyColumn } from '@alignscope/analysis';
import type { BoardCorrelationRow, LeaderboardCell, LeaderboardRow, ScatterPair } from '@alignscope/board';
import type { Benchmark, EvaluationRequest, Model, Score, ScoreView } from '@alignscope/db/queries';

/**
 * A model or benchmark asked for with `asOf` or `sourceOrder` carries that view, and its scores are
 * read under it (absent: the current values).
 */
export type ModelRow = Model & { view?: ScoreView };
export type BenchmarkRow = Benchmark & { view?: ScoreView };

export type {
  EvaluationRequest as EvaluationRequestRow,
  JobRow,
  Run as RunRow,
  Score as ScoreRow,
  ScoreChange as ScoreChangeRow,
  ScoreVersion as ScoreVersionRow,
} from '@alignscope/db/queries';

export type PageParent<T> = {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: () => Promise<number> | number;
};

export type ModelConnectionParent = PageParent<Model>;
export type ScoreConnectionParent = PageParent<Score>;
export type EdgeParent<T> = { cursor: string; node: T };
export type ModelEdgeParent = EdgeParent<Model>;
export type ScoreEdgeParent = EdgeParent<Score>;

export type LeaderboardCellParent = LeaderboardCell;
export type LeaderboardRowParent = LeaderboardRow;
export type LeaderboardConnectionParent = PageParent<LeaderboardRowParent> & {
  root: Benchmark;
  missing: 'zero' | 'skip';
  columns: Benchmark[];
};

export type LeaderboardEdgeParent = EdgeParent<LeaderboardRowParent>;

export type CorrelationRowParent = Omit<BoardCorrelationRow, 'benchmark'> & { benchmark: Benchmark };
export type ScatterPointParent = ScatterPair;
export type RobustnessResultParent = { benchmark: Benchmark; score: Score };
export type SubmissionParent = { id: number; payloadSha256: string };
export type UserErrorParent = { code: string; message: string; path: string[] };
export type JobPayloadParent = {
  ok: boolean;
  job: import('@alignscope/db/queries').JobRow | null;
  errors: UserErrorParent[];
};
export type SubmitResultsPayloadParent = {
  ok: boolean;
  duplicate: boolean;
  model: Model | null;
  scores: Score[];
  submission: SubmissionParent | null;
  errors: UserErrorParent[];
};
export type RequestEvaluationPayloadParent = {
  ok: boolean;
  request: EvaluationRequest | null;
  errors: UserErrorParent[];
};

/** A stored study version (packages/db studies). */
export type StudyRow = import('@alignscope/db/queries').Study;

/** A study's stored result, with the plan's alignment leaves (roles of its analysed columns). */
export type StudyResultParent = {
  stored: StoredStudyResult;
  plannedBenchmarks: string[] | undefined;
};

/** A column of a study's analysed table (values and intervals in the result's model order). */
export type StudyColumnParent = StudyColumn & { models: string[] };

export type RunStudyPayloadParent = {
  ok: boolean;
  study: StudyRow | null;
  errors: UserErrorParent[];
};
