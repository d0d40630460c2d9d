import definition from '@alignscope/benchmarks/definitions/Geirhos2021edge-error_consistency-cifar10';
import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  definition,
  dataset: 'edge',
});
