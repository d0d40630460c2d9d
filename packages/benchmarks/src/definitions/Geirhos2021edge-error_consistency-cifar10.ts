import { cifar10Variant } from '../families.ts';

export default cifar10Variant({
  identifier: 'Geirhos2021edge-error_consistency-cifar10',
  domain: 'behavioral',
  displayName: 'Error consistency, edge (CIFAR-10 categories)',
  metric:
    "Cohen's kappa of trial-wise correctness with each human subject on the edge images of the 7 categories CIFAR-10 shares with the 16, mean over subjects, ceiled by the mean human-human kappa on the same images",
  rangeMin: -1,
});
