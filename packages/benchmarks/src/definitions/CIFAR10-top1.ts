import type { BenchmarkDefinition } from '../definition.ts';

const definition: BenchmarkDefinition = {
  identifier: 'CIFAR10-top1',
  parent: 'cifar10_vision',
  domain: 'engineering',
  version: 1,
  displayName: 'CIFAR-10 top-1',
  metric: 'top-1 accuracy',
  ceiling: 1,
  rangeMin: 0,
  rangeMax: 1,
  reference: 'Krizhevsky 2009',
  scoredBy: 'plugin',
  labelSpace: 'cifar-10',
};

export default definition;
