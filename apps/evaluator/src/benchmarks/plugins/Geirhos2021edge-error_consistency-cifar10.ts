import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';
import { cifar10Entry } from '../kinds/cifar10-entries.ts';

export default errorConsistencyBenchmark({
  identifier: 'Geirhos2021edge-error_consistency-cifar10',
  dataset: 'edge',
  labelSpace: 'cifar-10',
  catalogEntry: cifar10Entry({
    identifier: 'Geirhos2021edge-error_consistency-cifar10',
    domain: 'behavioral',
    displayName: 'Error consistency, edge (CIFAR-10 categories)',
    metric:
      "Cohen's kappa of trial-wise correctness with each human subject on the edge images of the 7 categories CIFAR-10 shares with the 16, mean over subjects, ceiled by the mean human-human kappa on the same images",
    rangeMin: -1,
  }),
});
