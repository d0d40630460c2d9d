/**
 * What a benchmark is, independent of how it is computed: the catalog entry (identifier, place in the
 * tree, metric, version, range, reference, parameters) and, for a leaf, who scores it (an evaluator
 * plugin on models of one label space, or published results imported as they are).
 */

export type Domain = 'aggregate' | 'neural' | 'behavioral' | 'engineering' | 'robustness';

/** The label space of the models a plugin scores; `any` for benchmarks that read activations. */
export type LabelSpace = 'imagenet-1k' | 'cifar-10' | 'any';

export type BenchmarkDefinition = {
  identifier: string;
  parent: string | null;
  domain: Domain;
  version: number;
  /** What changed in this version (recorded in the benchmark's version history). */
  versionChanges?: string;
  displayName?: string;
  metric?: string;
  ceiling?: number | null;
  rangeMin?: number;
  rangeMax?: number;
  description?: string;
  reference?: string;
  parameters?: Record<string, unknown>;
  /**
   * Leaves only: `plugin` when the evaluator computes it (exactly one plugin in
   * apps/evaluator/src/benchmarks/plugins registers against this definition), `import` when its scores
   * only come from published results. Aggregates leave it out.
   */
  scoredBy?: 'plugin' | 'import';
  /** Label space of the models the plugin scores (leaves scored by a plugin). */
  labelSpace?: LabelSpace;
  /**
   * True for benchmarks that are not seeded with the catalog but created when first scored
   * (ensureBenchmark), e.g. the CIFAR-10 variants of the behavioral benchmarks.
   */
  onFirstUse?: boolean;
};

/** An aggregate node of the tree: the mean of its children. */
export const aggregate = (
  identifier: string,
  parent: string | null,
  displayName: string,
  description: string,
): BenchmarkDefinition => ({
  identifier,
  parent,
  domain: 'aggregate',
  version: 1,
  displayName,
  metric: 'mean of children',
  description,
});
