import definition from '@alignscope/benchmarks/definitions/Geirhos2021cueconflict-error_consistency-cifar10';
import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  definition,
  dataset: 'cue-conflict',
});
