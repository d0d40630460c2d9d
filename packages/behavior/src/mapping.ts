/**
 * From a classifier's outputs to a decision among the 16 entry-level categories of the model-vs-human
 * experiments (or a subset of them).
 */

/** The 16 categories (Geirhos et al.), alphabetical as in model-vs-human. */
export const HUMAN16_CATEGORIES = [
  'airplane',
  'bear',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'car',
  'cat',
  'chair',
  'clock',
  'dog',
  'elephant',
  'keyboard',
  'knife',
  'oven',
  'truck',
] as const;

/**
 * How the model's classes map to categories.
 * - `mean-probability`: softmax over all of the model's classes, then per category the MEAN of the
 *   probabilities of its classes (model-vs-human `ImageNetProbabilitiesTo16ClassesMapping`, numpy.mean).
 * - `max-logit`: the category of the highest logit among the mapped classes (one class per category).
 * The decision is the first category with the highest score (numpy.argmax).
 */
export type CategoryMapping = {
  /** A name recorded with scores, e.g. `imagenet1k->human16`. */
  name: string;
  categories: string[];
  /** classes[i]: the model's class indices that make up categories[i]. */
  classes: number[][];
  rule: 'mean-probability' | 'max-logit';
  /** The number of outputs the model must have. */
  numClasses: number;
};

/** Parses the data bundle's `imagenet/human16.json` into the ImageNet-1k -> 16 mapping. */
export function human16Mapping(json: unknown): CategoryMapping {
  const j = json as { categories?: unknown; indices?: unknown };
  if (!Array.isArray(j?.categories) || typeof j.indices !== 'object' || j.indices === null) {
    throw new Error('human16 mapping: expected {categories: string[], indices: {category: number[]}}');
  }
  const categories = j.categories.map(String);
  const indices = j.indices as Record<string, unknown>;
  const classes = categories.map((c) => {
    const v = indices[c];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && x >= 0 && x < 1000)) {
      throw new Error(`human16 mapping: category ${c} has no valid ImageNet indices`);
    }
    return v as number[];
  });
  return { name: 'imagenet1k->human16', categories, classes, rule: 'mean-probability', numClasses: 1000 };
}

/**
 * CIFAR-10 -> the 7 categories CIFAR-10 shares with the 16: airplane, automobile=car, bird, cat, dog,
 * ship=boat, truck (CIFAR index order: airplane automobile bird cat deer dog frog horse ship truck).
 */
export const CIFAR10_TO_HUMAN16: CategoryMapping = {
  name: 'cifar10->human16',
  categories: ['airplane', 'bird', 'boat', 'car', 'cat', 'dog', 'truck'],
  classes: [[0], [2], [8], [1], [3], [5], [9]],
  rule: 'max-logit',
  numClasses: 10,
};

/** Numerically stable softmax in float64. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

export type CategoryDecision = { category: string; index: number; scores: number[] };

/** The category decision for one image's logits. */
export function decideCategory(logits: ArrayLike<number>, mapping: CategoryMapping): CategoryDecision {
  if (logits.length !== mapping.numClasses) {
    throw new Error(`${mapping.name}: expected ${mapping.numClasses} outputs, got ${logits.length}`);
  }
  const source = mapping.rule === 'mean-probability' ? softmax(logits) : logits;
  const scores = mapping.classes.map((cls) => {
    if (mapping.rule === 'max-logit') {
      let best = Number.NEGATIVE_INFINITY;
      for (const c of cls) best = Math.max(best, source[c] as number);
      return best;
    }
    let s = 0;
    for (const c of cls) s += source[c] as number;
    return s / cls.length;
  });
  let index = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[index] as number)) index = i;
  return { category: mapping.categories[index] as string, index, scores };
}
