/** Catalog entries of the CIFAR-10 variants of the behavioral benchmarks (created on first use). */
import type { CatalogEntry } from '@alignscope/db/catalog';

export function cifar10Entry(e: {
  identifier: string;
  domain: 'engineering' | 'behavioral';
  displayName: string;
  metric: string;
  rangeMin?: number;
}): CatalogEntry {
  return {
    identifier: e.identifier,
    parent: 'cifar10_vision',
    domain: e.domain,
    version: 1,
    displayName: e.displayName,
    metric: e.metric,
    ceiling: e.domain === 'engineering' ? 1 : null,
    rangeMin: e.rangeMin ?? 0,
    rangeMax: 1,
    description:
      'CIFAR-10 classifiers on the model-vs-human stimuli: the 7 categories CIFAR-10 shares with the 16 (airplane, automobile=car, bird, cat, dog, ship=boat, truck); images resized to the model input.',
    reference: 'Geirhos et al., ICLR 2019; Geirhos, Meding & Wichmann, NeurIPS 2020; mapping: AlignScope',
    parameters: {
      mapping: 'cifar10->human16',
      categories: ['airplane', 'bird', 'boat', 'car', 'cat', 'dog', 'truck'],
    },
  };
}
