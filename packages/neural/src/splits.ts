/**
 * Cross-validation splits over stimuli: Brain-Score's `Split` defaults (metric_helpers/transformations.py):
 * 10 splits, train_size 0.9, a seed (Brain-Score's random_state is 1), stratified by `object_name` when the
 * assembly has it (sklearn StratifiedShuffleSplit), else shuffled (ShuffleSplit).
 *
 * Sizes follow sklearn: n_train = floor(train_size n), n_test = n - n_train; a stratified split gives every
 * class floor(n_test n_c / n) test items and hands the remaining ones to the classes with the largest
 * remainders (sklearn's `_approximate_mode`, ties broken by the seeded generator). The random stream is
 * xoshiro128** (@alignscope/analysis), not numpy's Mersenne Twister, so the splits are Brain-Score's in
 * distribution but not item for item; the splits used are returned and recorded, and a caller can pass
 * Brain-Score's own splits instead.
 */
import { createRng, type Rng } from '@alignscope/analysis';

export type Split = { train: number[]; test: number[] };

export const SPLIT_DEFAULTS = { splits: 10, trainSize: 0.9, seed: 1 } as const;

export type SplitOptions = {
  /** Number of items (stimuli). */
  n: number;
  splits?: number;
  /** Fraction of items to train on; the rest are tested on. */
  trainSize?: number;
  seed?: number;
  /** A class label per item (e.g. object_name) to stratify by. */
  strata?: readonly string[];
};

function shuffle(rng: Rng, a: number[]): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return a;
}

export function shuffleSplits(options: SplitOptions): Split[] {
  const { n } = options;
  const splits = options.splits ?? SPLIT_DEFAULTS.splits;
  const trainSize = options.trainSize ?? SPLIT_DEFAULTS.trainSize;
  const seed = options.seed ?? SPLIT_DEFAULTS.seed;
  if (!(trainSize > 0 && trainSize < 1)) throw new Error(`train size must be in (0, 1), got ${trainSize}`);
  if (!Number.isInteger(splits) || splits < 1)
    throw new Error(`splits must be a positive integer, got ${splits}`);
  const nTrain = Math.floor(trainSize * n);
  const nTest = n - nTrain;
  if (nTrain < 1 || nTest < 1) {
    throw new Error(`cannot split ${n} stimuli with train size ${trainSize}: a side would be empty`);
  }
  const rng = createRng(seed, 'neural-splits');
  const out: Split[] = [];
  if (!options.strata) {
    for (let s = 0; s < splits; s++) {
      const perm = shuffle(
        rng,
        Array.from({ length: n }, (_, i) => i),
      );
      out.push({
        test: perm.slice(0, nTest).sort((a, b) => a - b),
        train: perm.slice(nTest).sort((a, b) => a - b),
      });
    }
    return out;
  }
  const strata = options.strata;
  if (strata.length !== n) throw new Error(`stratification has ${strata.length} labels for ${n} stimuli`);
  const classes = new Map<string, number[]>();
  strata.forEach((c, i) => {
    const list = classes.get(c) ?? [];
    list.push(i);
    classes.set(c, list);
  });
  const names = [...classes.keys()].sort();
  if (nTest < names.length || nTrain < names.length) {
    throw new Error(
      `a stratified split of ${n} stimuli into ${nTrain}/${nTest} cannot hold all ${names.length} classes on each side`,
    );
  }
  for (let s = 0; s < splits; s++) {
    const exact = names.map((c) => ((classes.get(c) as number[]).length * nTest) / n);
    const take = exact.map(Math.floor);
    let left = nTest - take.reduce((a, b) => a + b, 0);
    const order = shuffle(
      rng,
      names.map((_, i) => i),
    ).sort(
      (a, b) => (exact[b] as number) - (take[b] as number) - ((exact[a] as number) - (take[a] as number)),
    );
    for (const i of order) {
      if (left === 0) break;
      take[i] = (take[i] as number) + 1;
      left--;
    }
    const train: number[] = [];
    const test: number[] = [];
    names.forEach((c, i) => {
      const perm = shuffle(rng, [...(classes.get(c) as number[])]);
      test.push(...perm.slice(0, take[i]));
      train.push(...perm.slice(take[i]));
    });
    out.push({ train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) });
  }
  return out;
}
