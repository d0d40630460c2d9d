/** The aggregate nodes of the benchmark tree (Brain-Score's vision tree and AlignScope's roots). */
import { aggregate } from '../definition.ts';

export const averageVision = aggregate(
  'average_vision',
  null,
  'Average vision',
  'Mean of neural_vision and behavior_vision (Brain-Score).',
);
export const neuralVision = aggregate(
  'neural_vision',
  'average_vision',
  'Neural',
  'Mean of the V1, V2, V4 and IT scores.',
);
export const V1 = aggregate('V1', 'neural_vision', 'V1', 'Primary visual cortex benchmarks.');
export const V2 = aggregate('V2', 'neural_vision', 'V2', 'V2 benchmarks.');
export const V4 = aggregate('V4', 'neural_vision', 'V4', 'V4 benchmarks.');
export const IT = aggregate('IT', 'neural_vision', 'IT', 'Inferior temporal cortex benchmarks.');
export const behaviorVision = aggregate(
  'behavior_vision',
  'average_vision',
  'Behavior',
  'Mean of the behavioral benchmarks.',
);
export const errorConsistency = aggregate(
  'Geirhos2021-error_consistency',
  'behavior_vision',
  'Error consistency',
  'Mean of the model-vs-human error consistency benchmarks.',
);
export const engineeringVision = aggregate(
  'engineering_vision',
  null,
  'Engineering',
  'Task performance benchmarks (raw scores), not part of average_vision.',
);
export const hermann2020 = aggregate(
  'Hermann2020',
  'engineering_vision',
  'Hermann2020 cue-conflict',
  'Shape bias and shape match on the cue-conflict stimuli.',
);
export const cifar10Vision = aggregate(
  'cifar10_vision',
  null,
  'CIFAR-10',
  'AlignScope benchmarks for CIFAR-10 classifiers (not part of Brain-Score).',
);
export const robustness = aggregate(
  'robustness',
  null,
  'Robustness',
  'Adversarial robustness benchmarks (AutoAttack robust accuracy).',
);
