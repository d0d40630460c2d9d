import { cifar10Variant } from '../families.ts';

export default cifar10Variant({
  identifier: 'Hermann2020cueconflict-shape_match-cifar10',
  domain: 'engineering',
  displayName: 'Shape match (CIFAR-10 categories)',
  metric:
    'share of the cue-conflict images (shape and texture among the 7 CIFAR-10 categories) classified as their shape',
});
