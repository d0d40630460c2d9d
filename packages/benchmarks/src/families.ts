/** Shared shapes of the definitions of one kind (error consistency, the CIFAR-10 variants). */
import type { BenchmarkDefinition } from './definition.ts';

/** A model-vs-human error consistency leaf (ImageNet models or recorded 16-category decisions). */
export const errorConsistency = (dataset: string, displayName: string): BenchmarkDefinition => ({
  identifier: `Geirhos2021${dataset}-error_consistency`,
  parent: 'Geirhos2021-error_consistency',
  domain: 'behavioral',
  version: 1,
  displayName: `Error consistency (${displayName})`,
  metric:
    "Cohen's kappa of trial-wise correctness, mean over human subjects, ceiled by mean human-human kappa",
  rangeMin: -1,
  rangeMax: 1,
  description: `Error consistency between the model and human observers on the model-vs-human ${displayName} images (Geirhos et al. 2020/2021).`,
  reference: 'Geirhos et al., NeurIPS 2020 (arXiv:2006.16736); NeurIPS 2021 (arXiv:2106.07411)',
  scoredBy: 'plugin',
  labelSpace: 'imagenet-1k',
});

/**
 * A CIFAR-10 variant of a behavioral benchmark (under cifar10_vision, created on first use): the
 * model-vs-human stimuli of the 7 categories CIFAR-10 shares with the 16.
 */
export function cifar10Variant(e: {
  identifier: string;
  domain: 'engineering' | 'behavioral';
  displayName: string;
  metric: string;
  rangeMin?: number;
}): BenchmarkDefinition {
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
    scoredBy: 'plugin',
    labelSpace: 'cifar-10',
    onFirstUse: true,
  };
}
