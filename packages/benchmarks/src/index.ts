/**
 * @alignscope/benchmarks: the benchmark registry's definitions (what each benchmark is), imported by
 * the database seeding (packages/db), the evaluator's plugins (which register how each is computed
 * against the definition of the same name), the GraphQL schema and the web. Pure data, no dependencies.
 */
export { catalog, definitionOf, definitions, roots } from './catalog.ts';
export {
  aggregate,
  type BenchmarkDefinition,
  type Domain,
  type LabelSpace,
} from './definition.ts';
export {
  type AttackProfile,
  type Norm,
  parseEps,
  parseRobustnessIdentifier,
  type RobustnessDataset,
  type RobustnessParameters,
  robustnessDatasetNames,
  robustnessEntry,
  robustnessIdentifier,
} from './definitions/AutoAttack.ts';
export { NEURAL_METRIC_NAMES, NEURAL_METRIC_TEXT, type NeuralMetricName } from './definitions/neural.ts';
