import definition from '@alignscope/benchmarks/definitions/Hermann2020cueconflict-shape_match';
import { shapeBenchmark } from '../kinds/behavioral.ts';

export default shapeBenchmark({
  definition,
  metric: 'shape_match',
});
