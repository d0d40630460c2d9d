import { errorConsistencyBenchmark } from '../kinds/behavioral.ts';
import { cifar10Entry } from '../kinds/cifar10-entries.ts';

export default errorConsistencyBenchmark({
  identifier: 'Geirhos2021silhouette-error_consistency-cifar10',
  dataset: 'silhouette',
  labelSpace: 'cifar-10',
  catalogEntry: cifar10Entry({
    identifier: 'Geirhos2021silhouette-error_consistency-cifar10',
    domain: 'behavioral',
    displayName: 'Error consistency, silhouette (CIFAR-10 categories)',
    metric:
      "Cohen's kappa of trial-wise correctness with each human subject on the silhouette images of the 7 categories CIFAR-10 shares with the 16, mean over subjects, ceiled by the mean human-human kappa on the same images",
    rangeMin: -1,
  }),
});
