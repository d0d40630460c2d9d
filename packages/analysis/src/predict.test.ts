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
