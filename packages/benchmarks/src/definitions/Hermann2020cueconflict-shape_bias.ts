import type { BenchmarkDefinition } from '../definition.ts';

const definition: BenchmarkDefinition = {
  identifier: 'Hermann2020cueconflict-shape_bias',
  parent: 'Hermann2020',
  domain: 'engineering',
  version: 1,
  displayName: 'Shape bias',
  metric: 'shape decisions / (shape + texture decisions) over the 1,200 true cue-conflict images',
  ceiling: 1,
  rangeMin: 0,
  rangeMax: 1,
  reference: 'Geirhos et al., ICLR 2019; Hermann et al., NeurIPS 2020',
  scoredBy: 'plugin',
  labelSpace: 'imagenet-1k',
};

export default definition;
