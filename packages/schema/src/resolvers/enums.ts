/** GraphQL enum values <-> the database's and the analysis package's lower-case values. */
import type { NodeStatus as AnalysisNodeStatus } from '@alignscope/analysis';
import type { Benchmark, ScoreStatus as DbScoreStatus, Run, Score } from '@alignscope/db/queries';
import type {
  BenchmarkDomain,
  CorrelationMethod,
  MissingPolicy,
  NodeStatus,
  RunKind,
  RunStatus,
  ScoreSource,
  ScoreStatus,
} from '../generated/resolvers.generated.ts';

export const scoreStatusOut = (s: DbScoreStatus): ScoreStatus =>
  s === 'scored' ? 'SCORED' : s === 'failed' ? 'FAILED' : 'NOT_RUN';
export const scoreStatusIn = (s: ScoreStatus): DbScoreStatus =>
  s === 'SCORED' ? 'scored' : s === 'FAILED' ? 'failed' : 'not-run';
export const domainOut = (d: Benchmark['domain']): BenchmarkDomain => d.toUpperCase() as BenchmarkDomain;
export const domainIn = (d: BenchmarkDomain): Benchmark['domain'] => d.toLowerCase() as Benchmark['domain'];
export const scoreSourceOut = (s: NonNullable<Score['source']>): ScoreSource =>
  s.toUpperCase() as ScoreSource;
export const runKindOut = (k: Run['kind']): RunKind => k.toUpperCase() as RunKind;
export const runStatusOut = (s: Run['status']): RunStatus => s.toUpperCase() as RunStatus;
export const missingIn = (m: MissingPolicy | null | undefined, fallback: 'zero' | 'skip'): 'zero' | 'skip' =>
  m === 'ZERO' ? 'zero' : m === 'SKIP' ? 'skip' : fallback;
export const missingOut = (m: 'zero' | 'skip'): MissingPolicy => (m === 'zero' ? 'ZERO' : 'SKIP');
export const methodIn = (m: CorrelationMethod | null | undefined): 'spearman' | 'pearson' | 'kendall' =>
  m === 'PEARSON' ? 'pearson' : m === 'KENDALL' ? 'kendall' : 'spearman';
export const nodeStatusOut = (s: AnalysisNodeStatus): NodeStatus =>
  s === 'not-run' ? 'NOT_RUN' : (s.toUpperCase() as NodeStatus);
