import { shapeBenchmark } from '../kinds/behavioral.ts';
import { cifar10Entry } from '../kinds/cifar10-entries.ts';

export default shapeBenchmark({
  identifier: 'Hermann2020cueconflict-shape_match-cifar10',
  metric: 'shape_match',
  labelSpace: 'cifar-10',
  catalogEntry: cifar10Entry({
    identifier: 'Hermann2020cueconflict-shape_match-cifar10',
    domain: 'engineering',
    displayName: 'Shape match (CIFAR-10 categories)',
    metric:
      'share of the cue-conflict images (shape and texture among the 7 CIFAR-10 categories) classified as their shape',
  }),
});
