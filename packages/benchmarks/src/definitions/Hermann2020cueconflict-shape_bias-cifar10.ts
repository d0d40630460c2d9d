import { cifar10Variant } from '../families.ts';

export default cifar10Variant({
  identifier: 'Hermann2020cueconflict-shape_bias-cifar10',
  domain: 'engineering',
  displayName: 'Shape bias (CIFAR-10 categories)',
  metric:
    'shape / (shape + texture) decisions over the cue-conflict images whose shape and texture are both among the 7 CIFAR-10 categories; decision = highest logit among the mapped classes',
});
