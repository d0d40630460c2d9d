/**
 * @alignscope/board: the one read path of the board. A snapshot of the catalog tree, the public models
 * and their scores at one data version (board.ts), everything derived from it memoised on it, the
 * process-wide cache that keeps it fresh (cache.ts) and where its data comes from (source.ts). The
 * GraphQL resolvers (packages/schema) and the web's server components (apps/web) both read it.
 */
export {
  type Board,
  type BoardCorrelationRow,
  boardFromSnapshot,
  buildBoard,
  type CorrelationArgs,
  type CorrelationOffload,
  type Domain,
  defaultTableArgs,
  type LeaderboardCell,
  type LeaderboardRow,
  MAX_CORRELATION_TABLES,
  type Missing,
  type PairInterval,
  type PairIntervalArgs,
  type PairIntervalOffload,
  type ScatterPair,
  type TreeNode,
} from './board.ts';
export { type BoardCache, buildCatalog, type Catalog, createBoardCache } from './cache.ts';
export { isRobustnessNode, type PredictorRelation, predictorRelations } from './predictors.ts';
export { type BoardSnapshot, encodeSnapshot } from './snapshot.ts';
export { type BoardSource, dbBoardSource } from './source.ts';
export { type WorkerBoardSource, workerBoardSource } from './workers.ts';
