import type { BenchmarkDefinition } from '../definition.ts';

const definition: BenchmarkDefinition = {
  identifier: 'Hermann2020cueconflict-shape_match',
  parent: 'Hermann2020',
  domain: 'engineering',
  version: 1,
  displayName: 'Shape match',
  metric: 'share of true cue-conflict images classified as their shape category',
  ceiling: 1,
  rangeMin: 0,
  rangeMax: 1,
  reference: 'Hermann et al., NeurIPS 2020',
  scoredBy: 'plugin',
  labelSpace: 'imagenet-1k',
};

export default definition;
