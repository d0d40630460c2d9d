import { describe, expect, it } from 'vitest';
import { bootstrapStrata, clopperPearson, trialBootstrapMethod } from './interval.ts';

describe('clopperPearson', () => {
  // scipy 1.10 beta quantiles via packages/analysis/scripts/clopper_pearson.py.
  const scipy: [number, number, number, number][] = [
    [4, 100, 0.011004493986188198, 0.09925715671265992],
    [0, 10, 0, 0.3084971078187608],
    [10, 10, 0.6915028921812392, 1],
    [37, 100, 0.2755665796145514, 0.47235164055168316],
    [1, 1280, 1.9779341873964574e-5, 0.004345081045509611],
  ];
  it.each(scipy)('k = %i, n = %i matches scipy.stats.beta.ppf', (k, n, low, high) => {
    const r = clopperPearson(k, n);
    expect(r.low).toBeCloseTo(low, 12);
    expect(r.high).toBeCloseTo(high, 12);
  });

  it('matches the closed forms at the edges (worked by hand)', () => {
    // k = 0: P(X = 0) = (1 - p)^n = α/2 at the upper bound, so high = 1 - 0.025^(1/n).
    expect(clopperPearson(0, 10).high).toBeCloseTo(1 - 0.025 ** (1 / 10), 13);
    // k = n: by symmetry low = 0.025^(1/n).
    expect(clopperPearson(10, 10).low).toBeCloseTo(0.025 ** (1 / 10), 13);
    // k = 1: P(X >= 1) = 1 - (1 - p)^n = α/2 at the lower bound, so low = 1 - 0.975^(1/n).
    expect(clopperPearson(1, 1280).low).toBeCloseTo(1 - 0.975 ** (1 / 1280), 15);
    // n = 1, k = 1 at level 0.9: low = 0.05.
    expect(clopperPearson(1, 1, 0.9).low).toBeCloseTo(0.05, 14);
  });

  it('rejects impossible counts with a one-line message', () => {
    expect(() => clopperPearson(5, 4)).toThrow('Clopper-Pearson: k must be an integer in [0, 4], got 5');
    expect(() => clopperPearson(0, 0)).toThrow('Clopper-Pearson: n must be a positive integer, got 0');
  });
});

/** Exact bootstrap distribution of a statistic of n items by enumerating all n^n equally likely draws. */
function exactDistribution(n: number, stat: (counts: Uint32Array) => number): number[] {
  const out: number[] = [];
  const idx = new Array<number>(n).fill(0);
  for (let t = 0; t < n ** n; t++) {
    let r = t;
    for (let i = 0; i < n; i++) {
      idx[i] = r % n;
      r = Math.floor(r / n);
    }
    const counts = new Uint32Array(n);
    for (const i of idx) counts[i] = (counts[i] as number) + 1;
    const v = stat(counts);
    if (!Number.isNaN(v)) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

/** P(X <= x) of an empirical distribution. */
const cdf = (sorted: number[], x: number) => sorted.filter((v) => v <= x + 1e-12).length / sorted.length;

describe('bootstrapStrata', () => {
  // Shape-bias-like statistic on 5 trials: 3 shape (1), 1 texture (0), 1 other (NaN-free weight 0).
  const kinds = ['s', 's', 's', 't', 'o'];
  const shareShape = (c: Uint32Array) => {
    let s = 0;
    let t = 0;
    kinds.forEach((k, i) => {
      if (k === 's') s += c[i] as number;
      else if (k === 't') t += c[i] as number;
    });
    return s + t === 0 ? Number.NaN : s / (s + t);
  };

  it('its percentile interval agrees with the exact (enumerated) bootstrap distribution', () => {
    const exact = exactDistribution(5, shareShape);
    const r = bootstrapStrata([5], 1, (c) => [shareShape(c[0] as Uint32Array)], {
      resamples: 20000,
      seed: 3,
    });
    const iv = r.intervals[0];
    if (!iv) throw new Error('no interval');
    // The exact 2.5 % and 97.5 % points of the enumerated distribution: the MC quantiles must fall on
    // (or between) the atoms where the exact cdf crosses 0.025 and 0.975 (±0.01 of Monte Carlo error).
    expect(cdf(exact, iv.low)).toBeGreaterThanOrEqual(0.015);
    expect(cdf(exact, iv.low - 1e-9)).toBeLessThanOrEqual(0.035);
    expect(cdf(exact, iv.high)).toBeGreaterThanOrEqual(0.965);
    expect(cdf(exact, iv.high - 1e-9)).toBeLessThanOrEqual(0.985);
    // Hand check of the atoms: the smallest possible non-NaN value is 0 (only texture drawn), the largest 1.
    expect(exact[0]).toBe(0);
    expect(exact.at(-1)).toBe(1);
    // Undefined resamples (only the "other" trial drawn, probability 5^-5) are dropped, not counted.
    expect(r.used[0]).toBeLessThanOrEqual(20000);
    expect(r.used[0]).toBeGreaterThan(19990);
  });

  it('is reproducible for a seed and records its settings', () => {
    const stat = (c: readonly Uint32Array[]) => [shareShape(c[0] as Uint32Array)];
    const a = bootstrapStrata([5], 1, stat, { seed: 11 });
    const b = bootstrapStrata([5], 1, stat, { seed: 11 });
    expect(a).toEqual(b);
    expect(a.resamples).toBe(1000);
    expect(trialBootstrapMethod(a)).toBe('bootstrap 95% percentile over trials (1000 resamples, seed 11)');
  });

  it('keeps every stratum at its size (stratified draws)', () => {
    bootstrapStrata(
      [3, 7],
      2,
      (c) => {
        expect((c[0] as Uint32Array).reduce((s, x) => s + x, 0)).toBe(3);
        expect((c[1] as Uint32Array).reduce((s, x) => s + x, 0)).toBe(7);
        return [0, 1];
      },
      { resamples: 5 },
    );
  });

  it('rejects an empty stratum', () => {
    expect(() => bootstrapStrata([3, 0], 1, () => [0])).toThrow(
      'bootstrap: every stratum needs at least one item',
    );
  });
});
