/**
 * Split-half internal consistency over repetitions with the Spearman-Brown correction, as Brain-Score's
 * `InternalConsistency` (metrics/internal_consistency/ceiling.py): 10 splits of the repetitions into halves
 * (ShuffleSplit over the unique repetition values, train_size 0.5, so floor(R/2) against the rest), each half
 * averaged over its repetitions, Pearson r per neuroid across stimuli between the halves, corrected to the
 * full length by n r / (1 + (n - 1) r) with n = 2, median over neuroids, mean over splits; the error is the
 * standard error over splits.
 *
 * Missing repetitions (NaN) are skipped in a half's average; a stimulus with no repetition in one half is
 * left out of that neuroid's correlation (Brain-Score's xarray alignment drops it the same way). An
 * assembly with fewer than two repetitions has no ceiling: the result says so and gives none.
 */
import { createRng } from '@alignscope/analysis';
import { meanAndError, nanMedian } from './correlation.ts';

export type Trials = {
  stimuli: number;
  neuroids: number;
  repetitions: number;
  /** stimulus x neuroid x repetition, row-major; NaN marks a missing repetition. */
  values: Float64Array;
};

export type Ceiling =
  | { value: number; error: number; perSplit: number[]; splits: { a: number[]; b: number[] }[]; seed: number }
  | { value: null; reason: string };

export const CEILING_DEFAULTS = { splits: 10, seed: 1 } as const;

export function spearmanBrown(r: number, n = 2): number {
  return (n * r) / (1 + (n - 1) * r);
}

export function splitHalfCeiling(trials: Trials, options: { splits?: number; seed?: number } = {}): Ceiling {
  const { stimuli: s, neuroids: q, repetitions: reps, values } = trials;
  if (values.length !== s * q * reps) {
    throw new Error(`trials hold ${values.length} values, expected ${s} x ${q} x ${reps}`);
  }
  if (reps < 2) {
    return {
      value: null,
      reason: `no repetitions: the assembly has ${reps} per stimulus, a split-half ceiling needs 2 or more`,
    };
  }
  const splits = options.splits ?? CEILING_DEFAULTS.splits;
  const seed = options.seed ?? CEILING_DEFAULTS.seed;
  const rng = createRng(seed, 'neural-ceiling');
  const nA = Math.floor(reps / 2);
  const perSplit: number[] = [];
  const used: { a: number[]; b: number[] }[] = [];
  const halfMean = (stim: number, neuroid: number, half: number[]): number => {
    let sum = 0;
    let count = 0;
    const base = (stim * q + neuroid) * reps;
    for (const r of half) {
      const v = values[base + r] as number;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count ? sum / count : Number.NaN;
  };
  for (let k = 0; k < splits; k++) {
    const perm = Array.from({ length: reps }, (_, i) => i);
    for (let i = reps - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
    }
    const a = perm.slice(0, nA).sort((x, y) => x - y);
    const b = perm.slice(nA).sort((x, y) => x - y);
    used.push({ a, b });
    const rs = new Float64Array(q);
    for (let neuroid = 0; neuroid < q; neuroid++) {
      const xa: number[] = [];
      const xb: number[] = [];
      for (let stim = 0; stim < s; stim++) {
        const va = halfMean(stim, neuroid, a);
        const vb = halfMean(stim, neuroid, b);
        if (!Number.isNaN(va) && !Number.isNaN(vb)) {
          xa.push(va);
          xb.push(vb);
        }
      }
      rs[neuroid] = spearmanBrown(pearson(xa, xb));
    }
    perSplit.push(nanMedian(rs));
  }
  if (perSplit.some((v) => Number.isNaN(v))) {
    return {
      value: null,
      reason: 'every neuroid is constant or lacks paired repetitions in some split: no ceiling',
    };
  }
  const { mean, error } = meanAndError(perSplit);
  return { value: mean, error, perSplit, splits: used, seed };
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 3) return Number.NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** The repetition average per stimulus and neuroid (stimulus x neuroid), missing repetitions skipped. */
export function averageRepetitions(trials: Trials): Float64Array {
  const { stimuli: s, neuroids: q, repetitions: reps, values } = trials;
  const out = new Float64Array(s * q);
  for (let stim = 0; stim < s; stim++) {
    for (let neuroid = 0; neuroid < q; neuroid++) {
      let sum = 0;
      let count = 0;
      const base = (stim * q + neuroid) * reps;
      for (let r = 0; r < reps; r++) {
        const v = values[base + r] as number;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      if (count === 0) throw new Error(`stimulus ${stim}, neuroid ${neuroid} has no recorded response`);
      out[stim * q + neuroid] = sum / count;
    }
  }
  return out;
}

/** Brain-Score's two normalisations of a raw r by the ceiling. */
export type CeiledScores = {
  /** (r / ceiling)^2: Brain-Score's explained_variance until January 2026 (the seed study's). */
  squaredRatio: number;
  /** r^2 / ceiling: explained_variance since brain-score/vision commit e376e306 (2026-01-13, PR #2169). */
  explainedVariance: number;
};

export type CeilingConvention = 'squared-ratio' | 'explained-variance';

export function ceiledScores(r: number, ceiling: number): CeiledScores {
  return { squaredRatio: (r / ceiling) ** 2, explainedVariance: (r * r) / ceiling };
}
