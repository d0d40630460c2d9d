import { describe, expect, it } from 'vitest';
import { percentileBootstrap } from './bootstrap.ts';
import { noisyBootstrap } from './noisy-bootstrap.ts';
import { createRng } from './random.ts';

/** Midranks (1-based) of a list, written out plainly for the brute force. */
function midranks(v: number[]): number[] {
  return v.map((a) => {
    const below = v.filter((b) => b < a).length;
    const equal = v.filter((b) => b === a).length;
    return below + (equal + 1) / 2;
  });
}

function plainPearson(a: number[], b: number[]): number | null {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    saa += ((a[i] as number) - ma) ** 2;
    sbb += ((b[i] as number) - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}

/**
 * The documented procedure written out independently: per resample, N row draws with
 * createRng(seed).nextInt(N) (the rows stream), then 2N uniforms from createRng(seed, 'noisy-inputs')
 * (x then y per row); every copy of a drawn row gets the row's redrawn values; Spearman as Pearson of
 * midranks; the type-7 quantiles of the sorted defined coefficients.
 */
function bruteForce(xi: [number, number][], yi: [number, number][], seed: number, B: number) {
  const n = xi.length;
  const rows = createRng(seed);
  const counts: number[][] = [];
  for (let b = 0; b < B; b++) {
    const c = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      const j = rows.nextInt(n);
      c[j] = (c[j] as number) + 1;
    }
    counts.push(c);
  }
  const noise = createRng(seed, 'noisy-inputs');
  const stats: number[] = [];
  for (let b = 0; b < B; b++) {
    const u = Array.from({ length: 2 * n }, () => noise.nextFloat());
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const [xl, xh] = xi[i] as [number, number];
      const [yl, yh] = yi[i] as [number, number];
      for (let j = 0; j < (counts[b]?.[i] as number); j++) {
        xs.push(xl + (u[2 * i] as number) * (xh - xl));
        ys.push(yl + (u[2 * i + 1] as number) * (yh - yl));
      }
    }
    const r = plainPearson(midranks(xs), midranks(ys));
    if (r !== null) stats.push(r);
  }
  stats.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (stats.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(stats.length - 1, lo + 1);
    return (stats[lo] as number) + (h - lo) * ((stats[hi] as number) - (stats[lo] as number));
  };
  return { used: stats.length, low: q(0.025), high: q(0.975) };
}

const X = [0.2, 0.35, 0.3, 0.5, 0.55, 0.7];
const Y = [0.1, 0.2, 0.25, 0.3, 0.5, 0.45];
const XI: [number, number][] = X.map((v) => [v - 0.08, v + 0.06]);
const YI: [number, number][] = Y.map((v) => [v - 0.05, v + 0.1]);
const split = (iv: [number, number][]) => ({ low: iv.map((p) => p[0]), high: iv.map((p) => p[1]) });

describe('noisyBootstrap', () => {
  it('equals the procedure written out by hand on a small case (n = 6, 400 resamples)', () => {
    const fast = noisyBootstrap(X, Y, split(XI), split(YI), 'spearman', { resamples: 400, seed: 5 });
    const slow = bruteForce(XI, YI, 5, 400);
    expect(fast.used).toBe(slow.used);
    expect(fast.low).toBeCloseTo(slow.low, 12);
    expect(fast.high).toBeCloseTo(slow.high, 12);
    // Seeded: the same call gives the same interval.
    expect(noisyBootstrap(X, Y, split(XI), split(YI), 'spearman', { resamples: 400, seed: 5 })).toEqual(fast);
  });

  it('without intervals it is the bootstrap over models (same seed, every method)', () => {
    const none = { low: X.map(() => null), high: X.map(() => null) };
    const x = [...X, null, 0.4];
    const y = [...Y, 0.3, null];
    const blank = { low: x.map(() => null), high: x.map(() => null) };
    for (const method of ['spearman', 'pearson', 'kendall'] as const) {
      const plain = percentileBootstrap(x, y, method, { resamples: 300, seed: 2 });
      const noisy = noisyBootstrap(x, y, blank, blank, method, { resamples: 300, seed: 2 });
      expect(noisy.used).toBe(plain.used);
      expect(noisy.low).toBeCloseTo(plain.low as number, 12);
      expect(noisy.high).toBeCloseTo(plain.high as number, 12);
    }
    expect(noisyBootstrap(X, Y, none, none, 'spearman').estimate).toBeCloseTo(
      // Hand-worked: ranks x 1 3 2 4 5 6, y 1 2 3 4 6 5; Σd² = 1+1+0+0+1+1 = 4; ρ = 1 − 6·4/(6·35).
      1 - 24 / 210,
      12,
    );
  });

  it('says when the sign is not stable: wide overlapping intervals on a weak relation', () => {
    // Increasing in x and y: with narrow intervals ρ stays positive in nearly every resample; with
    // intervals wider than the whole spread of the values the order is lost and the sign is not stable.
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => v / 10);
    const y = x.map((v, i) => v + (i % 2 ? 0.02 : -0.02));
    const narrow = (v: number[]) => ({ low: v.map((a) => a - 0.001), high: v.map((a) => a + 0.001) });
    const wide = (v: number[]) => ({ low: v.map((a) => a - 1), high: v.map((a) => a + 1) });
    const a = noisyBootstrap(x, y, narrow(x), narrow(y), 'spearman', { resamples: 500, seed: 1 });
    expect(a.signStable).toBe(true);
    expect(a.sameSign).toBeGreaterThan(0.99);
    const b = noisyBootstrap(x, y, wide(x), wide(y), 'spearman', { resamples: 500, seed: 1 });
    expect(b.signStable).toBe(false);
    expect(b.low as number).toBeLessThan(0);
  });

  it('refuses an interval with low above high', () => {
    const iv = { low: [0.5, null, null], high: [0.4, null, null] };
    const none = { low: [null, null, null], high: [null, null, null] };
    expect(() => noisyBootstrap([0.45, 0.6, 0.7], [1, 2, 3], iv, none, 'spearman')).toThrow(
      'noisyBootstrap: interval at row 0 has low 0.5 > high 0.4',
    );
  });
});
