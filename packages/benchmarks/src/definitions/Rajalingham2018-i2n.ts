import type { BenchmarkDefinition } from '../definition.ts';

/** Rajalingham et al.'s i2n; scores are imported from Brain-Score (no plugin computes them). */
const definition: BenchmarkDefinition = {
  identifier: 'Rajalingham2018-i2n',
  parent: 'behavior_vision',
  domain: 'behavioral',
  version: 1,
  metric: 'i2n: Pearson correlation of normalized image-by-distractor d-prime with humans',
  ceiling: 0.4848398631810774,
  rangeMin: -1,
  rangeMax: 1,
  reference: 'Rajalingham et al., J. Neuroscience 2018',
  scoredBy: 'import',
};

export default definition;
