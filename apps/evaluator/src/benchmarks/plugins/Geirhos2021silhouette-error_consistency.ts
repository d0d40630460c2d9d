import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  identifier: 'Geirhos2021silhouette-error_consistency',
  dataset: 'silhouette',
  labelSpace: 'imagenet-1k',
});
