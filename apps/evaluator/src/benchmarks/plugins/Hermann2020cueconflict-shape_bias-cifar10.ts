import definition from '@alignscope/benchmarks/definitions/Hermann2020cueconflict-shape_bias-cifar10';
import { shapeBenchmark } from '../kinds/behavioral.ts';

export default shapeBenchmark({
  definition,
  metric: 'shape_bias',
});
