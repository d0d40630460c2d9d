import { describe, expect, it } from 'vitest';
import { predictRobustness } from './index.ts';
import { choleskySolve } from './predict.ts';

// scripts/golden.py, predictRobustness reference (an independent numpy implementation of the protocol).
const P_Y = [0.1, 0.35, 0.22, 0.5, 0.05, 0.41, 0.3, 0.18, 0.6, 0.27, 0.45, 0.12];
const P_F1 = [0.2, 0.5, 0.35, 0.7, 0.1, 0.55, 0.3, 0.4, 0.9, 0.45, null, 0.15];
const P_F2 = [0.9, 0.4, 0.6, 0.3, 0.8, 0.5, 0.55, 0.5, 0.1, 0.7, 0.2, null];
const models = P_Y.map((_, i) => `m${i}`);

describe('predictRobustness', () => {
  it('leave-one-out predictions, held-out Spearman and weights match the numpy reference', () => {
    const r = predictRobustness(
      { models, columns: { y: P_Y, f1: P_F1, f2: P_F2 } },
      { target: 'y', features: ['f1', 'f2'], folds: 'loo', lambda: 0.1 },
    );
    const held = [
      0.27356489227846514, 0.6182875246647057, 0.40968152236559213, 0.7030695531568313, 0.23397022789988542,
      0.605102689518274, 0.40549813906708926, 0.5155869898189026, 0.7936747448345174, 0.4438224530889577,
      0.6020925312571794, 0.3860674458625411,
    ];
    expect(r.n).toBe(12);
    expect(r.folds).toBe(12);
    r.predictions.forEach((p, i) => {
      expect(p).toBeCloseTo(held[i] as number, 12);
    });
    expect(r.heldOutSpearman).toBeCloseTo(0.9090909090909092, 12);
    expect(r.weights.f1).toBeCloseTo(0.31021472133526434, 12);
    expect(r.weights.f2).toBeCloseTo(-0.28768411611771394, 12);
    expect(r.intercept).toBeCloseTo(0.4887346973912247, 12);
    expect(r.heldOutRankingAccuracy).toBeGreaterThan(0.5);
  });

  it("leave-one-out on 8 models with one feature, worked by hand (the study pages' browser-test case)", () => {
    // Feature F (ranks R) and targets T1 (ranks S = 1..8) and T2 (b and c swapped: S' = 1,3,2,4,...,8):
    //   model  a  b  c  d  e  f  g  h
    //   R      8  6  7  4  5  2  3  1
    // Closed form. With distinct values, the 7 training models of a fold have mid-ECDF ranks
    // (r - 1/2)/7, r = 1..7, for F and the target alike: means 1/2, var(z) = (7^2 - 1)/12/49 = 28/343,
    // cov(z, t) = C/343 with C = sum (r_F - 4)(r_t - 4) = 28 - D/2 (D: sum of squared rank
    // differences within the fold). Ridge: w = cov/(var + 0.1) = C/62.3, b = 1/2 - w/2; the held-out
    // model sits at z = (training values below it)/7 = (R - 1)/7, so it is predicted
    // 1/2 + (C/62.3)((R - 1)/7 - 1/2).
    // T1: leaving out a or h gives D = 106 (C = -25), any other model D = 108 (C = -26).
    // T2: a, b, c, h give D = 108 (C = -26); d, e, f, g give D = 110 (C = -27).
    // Weights of the fit on all 8: ranks (r - 1/2)/8, var = 63/768, cov = (42 - D/2)/512 with D = 162
    // (T1) and 164 (T2): w = (42 - D/2)/93.2, intercept 1/2 - w/2.
    const R = [8, 6, 7, 4, 5, 2, 3, 1];
    const F = [0.92, 0.9, 0.91, 0.88, 0.89, 0.86, 0.87, 0.85]; // ranks R
    const held = (C: number[]) => R.map((r, i) => 0.5 + ((C[i] as number) / 62.3) * ((r - 1) / 7 - 0.5));
    const input = {
      models: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      columns: {
        F,
        T1: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
        T2: [0.02, 0.05, 0.04, 0.1, 0.12, 0.2, 0.25, 0.3],
      },
    };
    const cases = [
      // Held-out order a < c < b < e < d < g < f < h: T1 disagrees on (b,c), (d,e), (f,g): 25 of 28
      // pairs, and Spearman 1 - 6*6/504; T2 on (d,e), (f,g) only: 26/28 and 1 - 6*4/504.
      {
        target: 'T1',
        C: [-25, -26, -26, -26, -26, -26, -26, -25],
        acc: 25 / 28,
        rho: 1 - 36 / 504,
        w: -39 / 93.2,
      },
      {
        target: 'T2',
        C: [-26, -26, -26, -27, -27, -27, -27, -26],
        acc: 26 / 28,
        rho: 1 - 24 / 504,
        w: -40 / 93.2,
      },
    ];
    for (const c of cases) {
      const r = predictRobustness(input, { target: c.target, features: ['F'], folds: 'loo', lambda: 0.1 });
      expect(r.folds).toBe(8);
      held(c.C).forEach((v, i) => {
        expect(r.predictions[i]).toBeCloseTo(v, 12);
      });
      expect(r.heldOutRankingAccuracy).toBeCloseTo(c.acc, 12);
      expect(r.heldOutSpearman).toBeCloseTo(c.rho, 12);
      expect(r.weights.F).toBeCloseTo(c.w, 12);
      expect(r.intercept).toBeCloseTo(0.5 - c.w / 2, 12);
    }
  });

  it('k-fold is seeded: same seed, same result; a perfectly monotone feature ranks perfectly', () => {
    const x = Array.from({ length: 30 }, (_, i) => i / 30);
    const y = x.map((v) => v * v);
    const noise = x.map((_, i) => ((i * 7) % 30) / 30); // a permutation only weakly related to x
    const input = { models: x.map((_, i) => `m${i}`), columns: { y, x, noise } };
    const a = predictRobustness(input, { target: 'y', features: ['x', 'noise'], folds: 5, seed: 3 });
    expect(predictRobustness(input, { target: 'y', features: ['x', 'noise'], folds: 5, seed: 3 })).toEqual(a);
    expect(a.folds).toBe(5);
    expect(a.heldOutSpearman).toBeGreaterThan(0.8);
    expect((a.weights.x as number) > 3 * Math.abs(a.weights.noise as number)).toBe(true);
    // One monotone feature, leave-one-out: every held-out model is placed exactly where it belongs.
    const loo = predictRobustness(input, { target: 'y', features: ['x'], folds: 'loo' });
    expect(loo).toMatchObject({ heldOutSpearman: 1, heldOutRankingAccuracy: 1 });
    const b = predictRobustness(input, { target: 'y', features: ['x', 'noise'], folds: 5, seed: 4 });
    expect(b.predictions).not.toEqual(a.predictions);
  });

  it('models without a target are not predicted; too few models and bad options', () => {
    const r = predictRobustness(
      { models: ['a', 'b', 'c', 'd'], columns: { y: [1, null, 2, 3], f: [1, 2, 3, 4] } },
      { target: 'y', features: ['f'], folds: 'loo' },
    );
    expect(r.n).toBe(3);
    expect(r.predictions[1]).toBeNull();
    expect(
      predictRobustness(
        { models: ['a', 'b'], columns: { y: [1, 2], f: [1, 2] } },
        { target: 'y', features: ['f'] },
      ).reason,
    ).toBe('n < 3');
    const input = { models: ['a'], columns: { y: [1], f: [1] } };
    expect(() => predictRobustness(input, { target: 'y', features: [] })).toThrow(/no feature/);
    expect(() => predictRobustness(input, { target: 'y', features: ['g'] })).toThrow(
      /unknown feature column "g"/,
    );
    expect(() => predictRobustness(input, { target: 'y', features: ['y'] })).toThrow(
      /target cannot be a feature/,
    );
    expect(() => predictRobustness(input, { target: 'y', features: ['f'], lambda: 0 })).toThrow(/lambda/);
    expect(() => predictRobustness(input, { target: 'y', features: ['f'], folds: 1 })).toThrow(/folds/);
  });

  it('choleskySolve solves a hand-worked 2x2 system', () => {
    // [[4, 2], [2, 3]] w = [2, 1] -> w = [0.5, 0].
    const w = choleskySolve(
      [Float64Array.from([4, 0]), Float64Array.from([2, 3])],
      Float64Array.from([2, 1]),
    );
    expect(w[0]).toBeCloseTo(0.5, 15);
    expect(w[1]).toBeCloseTo(0, 15);
  });
});
