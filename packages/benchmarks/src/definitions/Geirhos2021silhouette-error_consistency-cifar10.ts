import { cifar10Variant } from '../families.ts';

export default cifar10Variant({
  identifier: 'Geirhos2021silhouette-error_consistency-cifar10',
  domain: 'behavioral',
  displayName: 'Error consistency, silhouette (CIFAR-10 categories)',
  metric:
    "Cohen's kappa of trial-wise correctness with each human subject on the silhouette images of the 7 categories CIFAR-10 shares with the 16, mean over subjects, ceiled by the mean human-human kappa on the same images",
  rangeMin: -1,
});
