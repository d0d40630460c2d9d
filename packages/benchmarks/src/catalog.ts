/**
 * The benchmark registry's definitions: Brain-Score's vision tree (identifiers as Brain-Score spells
 * them), the engineering root, AlignScope's CIFAR-10 root and the robustness root. One file per
 * benchmark in ./definitions (or per family generated from parameters: AutoAttack, the neural metrics),
 * named as the evaluator plugin that computes it (apps/evaluator/src/benchmarks/plugins/<same name>).
 * `catalog` is what `seedCatalog` (packages/db) writes, parents before children, in display order;
 * `definitions` adds those created on first use.
 */
import type { BenchmarkDefinition } from './definition.ts';
import autoAttack from './definitions/AutoAttack.ts';
import cifar10Top1 from './definitions/CIFAR10-top1.ts';
import ecCueConflict from './definitions/Geirhos2021cueconflict-error_consistency.ts';
import ecCueConflictCifar10 from './definitions/Geirhos2021cueconflict-error_consistency-cifar10.ts';
import ecEdge from './definitions/Geirhos2021edge-error_consistency.ts';
import ecEdgeCifar10 from './definitions/Geirhos2021edge-error_consistency-cifar10.ts';
import ecSilhouette from './definitions/Geirhos2021silhouette-error_consistency.ts';
import ecSilhouetteCifar10 from './definitions/Geirhos2021silhouette-error_consistency-cifar10.ts';
import shapeBias from './definitions/Hermann2020cueconflict-shape_bias.ts';
import shapeBiasCifar10 from './definitions/Hermann2020cueconflict-shape_bias-cifar10.ts';
import shapeMatch from './definitions/Hermann2020cueconflict-shape_match.ts';
import shapeMatchCifar10 from './definitions/Hermann2020cueconflict-shape_match-cifar10.ts';
import imagenetTop1 from './definitions/ImageNet-top1.ts';
import kar2019 from './definitions/Kar2019-ost.ts';
import { neuralLeaves, neuralVariants } from './definitions/neural.ts';
import rajalingham2018 from './definitions/Rajalingham2018-i2n.ts';
import * as tree from './definitions/tree.ts';

const [v1, v2, v4, it] = neuralLeaves as [
  BenchmarkDefinition,
  BenchmarkDefinition,
  BenchmarkDefinition,
  BenchmarkDefinition,
];

/** The seeded catalog, parents before children. */
export const catalog: readonly BenchmarkDefinition[] = [
  tree.averageVision,
  tree.neuralVision,
  tree.V1,
  v1,
  tree.V2,
  v2,
  tree.V4,
  v4,
  tree.IT,
  it,
  kar2019,
  tree.behaviorVision,
  rajalingham2018,
  tree.errorConsistency,
  ecCueConflict,
  ecEdge,
  ecSilhouette,
  tree.engineeringVision,
  imagenetTop1,
  tree.hermann2020,
  shapeBias,
  shapeMatch,
  tree.cifar10Vision,
  cifar10Top1,
  tree.robustness,
  ...autoAttack,
];

/** Every definition: the seeded catalog, then the benchmarks created on first use. */
export const definitions: readonly BenchmarkDefinition[] = [
  ...catalog,
  ecCueConflictCifar10,
  ecEdgeCifar10,
  ecSilhouetteCifar10,
  shapeBiasCifar10,
  shapeMatchCifar10,
  ...neuralVariants,
];

const byIdentifier = new Map(definitions.map((d) => [d.identifier, d]));
if (byIdentifier.size !== definitions.length) throw new Error('a benchmark identifier is defined twice');

/** The definition of `identifier`, or undefined. */
export function definitionOf(identifier: string): BenchmarkDefinition | undefined {
  return byIdentifier.get(identifier);
}

/** Roots of the tree, in display order. */
export const roots = catalog.filter((e) => e.parent === null).map((e) => e.identifier);
