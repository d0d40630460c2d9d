import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';

export default errorConsistencyBenchmark({
  identifier: 'Geirhos2021cueconflict-error_consistency',
  dataset: 'cue-conflict',
  labelSpace: 'imagenet-1k',
});
