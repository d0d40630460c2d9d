import type { BenchmarkDefinition } from '../definition.ts';

const definition: BenchmarkDefinition = {
  identifier: 'ImageNet-top1',
  parent: 'engineering_vision',
  domain: 'engineering',
  version: 1,
  displayName: 'ImageNet top-1',
  metric: 'top-1 accuracy',
  ceiling: 1,
  rangeMin: 0,
  rangeMax: 1,
  description:
    'Top-1 accuracy on a labelled ImageNet image set (Brain-Score: Deng2009-top1 / ImageNet-top1).',
  reference: 'Deng et al., CVPR 2009',
  scoredBy: 'plugin',
  labelSpace: 'imagenet-1k',
};

export default definition;
