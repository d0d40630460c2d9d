import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  identifier: 'Geirhos2021edge-error_consistency',
  dataset: 'edge',
  labelSpace: 'imagenet-1k',
});
