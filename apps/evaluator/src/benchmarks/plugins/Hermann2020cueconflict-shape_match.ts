import { shapeBenchmark } from '../kinds/behavioral.ts';

export default shapeBenchmark({
  identifier: 'Hermann2020cueconflict-shape_match',
  metric: 'shape_match',
  labelSpace: 'imagenet-1k',
});
