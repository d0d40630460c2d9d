import { shapeBenchmark } from '../kinds/behavioral.ts';
import { cifar10Entry } from '../kinds/cifar10-entries.ts';

export default shapeBenchmark({
  identifier: 'Hermann2020cueconflict-shape_bias-cifar10',
  metric: 'shape_bias',
  labelSpace: 'cifar-10',
  catalogEntry: cifar10Entry({
    identifier: 'Hermann2020cueconflict-shape_bias-cifar10',
    domain: 'engineering',
    displayName: 'Shape bias (CIFAR-10 categories)',
    metric:
      'shape / (shape + texture) decisions over the cue-conflict images whose shape and texture are both among the 7 CIFAR-10 categories; decision = highest logit among the mapped classes',
  }),
});
