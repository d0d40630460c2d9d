import { describe, expect, it } from 'vitest';
import { L_X, L_Y, T_X, T_Y } from '../test/golden-data.ts';
import { drawResamples, quantile, resolveBootstrap } from './bootstrap.ts';
import { kendallTauB, pearson, percentileBootstrap, spearman } from './index.ts';
import type { CorrelationMethod } from './types.ts';

const plain: Record<CorrelationMethod, (x: number[], y: number[]) => number | null> = {
  spearman: (x, y) => spearman(x, y).coefficient,
  pearson: (x, y) => pearson(x, y).coefficient,
  kendall: (x, y) => kendallTauB(x, y).coefficient,
};

/** The percentile interval by brute force: expand every resample and call the plain statistic. */
function bruteForce(
  x: (number | null)[],
  y: (number | null)[],
  method: CorrelationMethod,
  seed: number,
  B: number,
  level = 0.95,
) {
  const rs = drawResamples(x.length, resolveBootstrap({ resamples: B, seed }));
  const stats: number[] = [];
  for (let b = 0; b < B; b++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const c = rs.counts[b * x.length + i] as number;
      if (x[i] === null || y[i] === null) continue;
      for (let k = 0; k < c; k++) {
        xs.push(x[i] as number);
        ys.push(y[i] as number);
      }
    }
    const s = plain[method](xs, ys);
    if (s !== null) stats.push(s);
  }
  const sorted = Float64Array.from(stats).sort();
  const a = (1 - level) / 2;
  return { low: quantile(sorted, a), high: quantile(sorted, 1 - a), used: stats.length };
}

describe('percentileBootstrap', () => {
  it('equals a brute-force bootstrap (expanded resamples, plain statistics) for every method, with ties and missing rows', () => {
    const x = [...T_X, null, 4, 9];
    const y = [...T_Y, 2, null, 9];
    for (const method of ['spearman', 'pearson', 'kendall'] as const) {
      const fast = percentileBootstrap(x, y, method, { resamples: 300, seed: 11 });
      const slow = bruteForce(x, y, method, 11, 300);
      expect(fast.used).toBe(slow.used);
      expect(fast.low).toBeCloseTo(slow.low, 12);
      expect(fast.high).toBeCloseTo(slow.high, 12);
    }
  });
  it('equals the brute force on heavily tied data (values on a 0.1 grid, n = 40)', () => {
    const x = L_X.map((v) => Math.round(v * 10) / 10);
    const y = L_Y.map((v, i) => (i % 9 === 0 ? null : Math.round(v * 5) / 5));
    for (const method of ['spearman', 'pearson', 'kendall'] as const) {
      const fast = percentileBootstrap(x, y, method, { resamples: 200, seed: 9, level: 0.9 });
      const slow = bruteForce(x, y, method, 9, 200, 0.9);
      expect(fast.used).toBe(slow.used);
      expect(fast.low).toBeCloseTo(slow.low, 12);
      expect(fast.high).toBeCloseTo(slow.high, 12);
    }
  });
  it('drops resamples whose coefficient is undefined (small n: some resamples are constant)', () => {
    const x = [1, 2, 3, 4];
    const y = [1, 3, 2, 4];
    const fast = percentileBootstrap(x, y, 'spearman', { resamples: 500, seed: 3 });
    const slow = bruteForce(x, y, 'spearman', 3, 500);
    expect(fast.used).toBeLessThan(500);
    expect(fast.used).toBe(slow.used);
    expect(fast.low).toBeCloseTo(slow.low, 12);
    expect(fast.high).toBeCloseTo(slow.high, 12);
  });
  it('agrees with scipy.stats.bootstrap(method="percentile") within Monte Carlo error (n = 40)', () => {
    // scipy 1.17.1, n_resamples = 4000, random_state = 1 (scripts/golden.py): the streams differ, so only
    // agreement within resampling noise (sd of a 2.5% endpoint with B = 4000 is about 0.01) is expected.
    const s = percentileBootstrap(L_X, L_Y, 'spearman', { resamples: 4000, seed: 5 });
    expect(s.low).toBeCloseTo(0.14218253417070623, 1);
    expect(s.high).toBeCloseTo(0.6546860736004485, 1);
    expect(Math.abs((s.low as number) - 0.14218253417070623)).toBeLessThan(0.04);
    expect(Math.abs((s.high as number) - 0.6546860736004485)).toBeLessThan(0.04);
    const p = percentileBootstrap(L_X, L_Y, 'pearson', { resamples: 4000, seed: 5 });
    expect(Math.abs((p.low as number) - 0.22863809417271025)).toBeLessThan(0.04);
    expect(Math.abs((p.high as number) - 0.6564423456504833)).toBeLessThan(0.04);
  });
  it('is reproducible for a seed, changes with the seed, narrows with the level', () => {
    const a = percentileBootstrap(L_X, L_Y, 'spearman', { resamples: 500, seed: 1 });
    expect(percentileBootstrap(L_X, L_Y, 'spearman', { resamples: 500, seed: 1 })).toEqual(a);
    expect(percentileBootstrap(L_X, L_Y, 'spearman', { resamples: 500, seed: 2 }).low).not.toBe(a.low);
    const narrow = percentileBootstrap(L_X, L_Y, 'spearman', { resamples: 500, seed: 1, level: 0.5 });
    expect(narrow.low as number).toBeGreaterThan(a.low as number);
    expect(narrow.high as number).toBeLessThan(a.high as number);
    const rho = spearman(L_X, L_Y).coefficient as number;
    expect(narrow.low as number).toBeLessThan(rho);
    expect(narrow.high as number).toBeGreaterThan(rho);
  });
  it('undefined input and bad options', () => {
    expect(percentileBootstrap([1, 1, 1, 1], [1, 2, 3, 4], 'spearman')).toMatchObject({
      low: null,
      high: null,
      reason: 'constant column',
    });
    expect(percentileBootstrap([1, 2], [1, 2], 'pearson').reason).toBe('n < 3');
    expect(() => percentileBootstrap(T_X, T_Y, 'spearman', { resamples: 0 })).toThrow(/resamples/);
    expect(() => percentileBootstrap(T_X, T_Y, 'spearman', { level: 1 })).toThrow(/level/);
  });
  it('type-7 quantile by hand', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5]);
    expect(quantile(v, 0.5)).toBe(3);
    expect(quantile(v, 0.1)).toBeCloseTo(1.4, 14);
    expect(quantile(v, 1)).toBe(5);
  });
});
