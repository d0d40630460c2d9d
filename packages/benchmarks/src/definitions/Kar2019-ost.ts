import type { BenchmarkDefinition } from '../definition.ts';

/** Object solution times; scores are imported from Brain-Score (no plugin computes them). */
const definition: BenchmarkDefinition = {
  identifier: 'Kar2019-ost',
  parent: 'IT',
  domain: 'neural',
  version: 1,
  metric: 'object solution times (Spearman correlation with IT/behaviour)',
  ceiling: 0.79,
  rangeMin: -1,
  rangeMax: 1,
  reference: 'Kar et al., Nature Neuroscience 2019',
  scoredBy: 'import',
};

export default definition;
