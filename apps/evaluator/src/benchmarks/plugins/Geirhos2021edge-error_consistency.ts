import definition from '@alignscope/benchmarks/definitions/Geirhos2021edge-error_consistency';
import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  definition,
  dataset: 'edge',
});
