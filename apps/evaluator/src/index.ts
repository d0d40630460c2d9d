/**
 * The evaluator's library surface (for `alignscope attack`, the worker and tests): model cards,
 * sessions and the model store, the image pipeline, the benchmark registry, and evaluate().
 */
export * from './benchmarks/registry.ts';
export type {
  BenchmarkContext,
  BenchmarkPlugin,
  BenchmarkResult,
  DecisionSource,
  EvalModel,
  Progress,
  Timings,
} from './benchmarks/types.ts';
export { type EvaluateOptions, type EvaluationRecord, evaluate } from './evaluate/evaluate.ts';
export * from './images/index.ts';
export * from './models/index.ts';
