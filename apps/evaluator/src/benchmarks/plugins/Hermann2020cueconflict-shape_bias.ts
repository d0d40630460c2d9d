import { shapeBenchmark } from '../kinds/behavioral.ts';

export default shapeBenchmark({
  identifier: 'Hermann2020cueconflict-shape_bias',
  metric: 'shape_bias',
  labelSpace: 'imagenet-1k',
});
