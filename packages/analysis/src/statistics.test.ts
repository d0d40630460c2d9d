/**
 * Single statistics against independent references. Unless a test says otherwise, golden numbers come from
 * scipy 1.17.1 via packages/analysis/scripts/golden.py (spearmanr, pearsonr, kendalltau, linregress, f.sf,
 * false_discovery_control, and a numpy residual-regression partial correlation with t.sf).
 */
import { describe, expect, it } from 'vitest';
import { A_X, A_Y, L_X, L_Y, T_X, T_Y, Z } from '../test/golden-data.ts';
import {
  benjaminiHochberg,
  kendallTauB,
  ols,
  pairwiseRankingAccuracy,
  partialSpearman,
  pearson,
  spearman,
} from './index.ts';
import { kendallExactP } from './kendall.ts';

/** Relative closeness for p-values spanning many decades. */
function expectRel(actual: number | null, expected: number, rel = 1e-9) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-15);
}

describe('spearman', () => {
  it('matches scipy.stats.spearmanr without ties (n = 10) and the closed form 1 - 6 Σd² / (n(n² - 1))', () => {
    const r = spearman(A_X, A_Y);
    expect(r.n).toBe(10);
    expectRel(r.coefficient, 0.9030303030303028);
    expectRel(r.pValue, 0.0003436121977632824, 1e-8);
    // Ranks by hand: x -> [7,2,9,4,5,10,3,8,1,6], y -> [5,3,9,6,4,10,2,7,1,8]; Σd² = 16.
    expectRel(r.coefficient, 1 - (6 * 16) / (10 * 99));
  });
  it('matches scipy with ties (average ranks) and for n = 40', () => {
    const t = spearman(T_X, T_Y);
    expectRel(t.coefficient, 0.9092584266999248);
    expectRel(t.pValue, 4.15377354298104e-5, 1e-8);
    const l = spearman(L_X, L_Y);
    expectRel(l.coefficient, 0.43076923076923085);
    expectRel(l.pValue, 0.0055233671411370104, 1e-8);
  });
  it('is ±1 with p = 0 for monotone data, and invariant to monotone transforms', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toMatchObject({ coefficient: 1, pValue: 0 });
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1]).coefficient).toBeCloseTo(-1, 14);
    expectRel(
      spearman(
        A_X.map(Math.exp),
        A_Y.map((v) => v ** 3),
      ).coefficient,
      0.9030303030303028,
    );
  });
  it('reports undefined cases as null with a reason, never NaN', () => {
    expect(spearman([1, 1, 1, 1], [1, 2, 3, 4])).toEqual({
      n: 4,
      coefficient: null,
      pValue: null,
      reason: 'constant column',
    });
    expect(spearman([1, 2], [2, 1])).toEqual({ n: 2, coefficient: null, pValue: null, reason: 'n < 3' });
    expect(spearman([null, null, 3], [1, 2, null])).toEqual({
      n: 0,
      coefficient: null,
      pValue: null,
      reason: 'no overlapping models',
    });
    expect(spearman([], [])).toMatchObject({ n: 0, reason: 'no overlapping models' });
  });
  it('uses pairwise-complete observations (null and NaN are missing)', () => {
    const x = [...A_X, null, 5, Number.NaN];
    const y = [...A_Y, 3, null, 1];
    expect(spearman(x, y)).toEqual(spearman(A_X, A_Y));
  });
  it('rejects infinite values and mismatched lengths', () => {
    expect(() => spearman([1, 2, Number.POSITIVE_INFINITY], [1, 2, 3])).toThrow(
      /index 2 is not a finite number/,
    );
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow(/different lengths/);
  });
});

describe('pearson', () => {
  it('matches scipy.stats.pearsonr (exact beta p-value)', () => {
    const a = pearson(A_X, A_Y);
    expectRel(a.coefficient, 0.9013218552027779);
    expectRel(a.pValue, 0.0003676926822823175, 1e-8);
    const t = pearson(T_X, T_Y);
    expectRel(t.coefficient, 0.8892223009176115);
    expectRel(t.pValue, 0.00010879141031387353, 1e-8);
    const l = pearson(L_X, L_Y);
    expectRel(l.coefficient, 0.4696953231737814);
    expectRel(l.pValue, 0.002229571075088281, 1e-8);
  });
  it('small-n closed forms of the null distribution of r (n = 3 arcsine law, n = 4 uniform)', () => {
    // For n = 3 the null density of r is 1 / (π sqrt(1 - r²)), so P(|R| >= r) = 1 - (2/π) asin(r).
    const r = pearson([1, 2, 3], [1, 3, 2]);
    expectRel(r.coefficient, 0.5);
    expectRel(r.pValue, 1 - (2 / Math.PI) * Math.asin(0.5), 1e-12);
    // For n = 4 r is uniform on [-1, 1]: P(|R| >= |r|) = 1 - |r|.
    const four = pearson([1, 2, 3, 4], [1, 3, 2, 4]);
    expectRel(four.pValue, 1 - Math.abs(four.coefficient as number), 1e-12);
  });
  it('constant columns give null with a reason', () => {
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3]).reason).toBe('constant column');
    expect(pearson([1, 2, 3], [0.3, 0.3, 0.3]).coefficient).toBeNull();
  });
});

describe('kendallTauB', () => {
  it('exact p-value for small n without ties, as scipy (n = 10)', () => {
    const r = kendallTauB(A_X, A_Y);
    expect(r.pMethod).toBe('exact');
    expectRel(r.coefficient, 0.7777777777777777);
    expectRel(r.pValue, 0.0009463183421516755, 1e-10);
    const asym = kendallTauB(A_X, A_Y, { method: 'asymptotic' });
    expect(asym.pMethod).toBe('asymptotic');
    expectRel(asym.pValue, 0.001745118699528905, 1e-9);
  });
  it('normal approximation with tie-corrected variance when there are ties, as scipy', () => {
    const r = kendallTauB(T_X, T_Y);
    expect(r.pMethod).toBe('asymptotic');
    expectRel(r.coefficient, 0.7805136005849247);
    expectRel(r.pValue, 0.0007614849868041323, 1e-9);
    expect(() => kendallTauB(T_X, T_Y, { method: 'exact' })).toThrow(/ties/);
  });
  it('n = 40 without ties: asymptotic (n > 33), but exact when only one pair is discordant', () => {
    const l = kendallTauB(L_X, L_Y);
    expect(l.pMethod).toBe('asymptotic');
    expectRel(l.coefficient, 0.3);
    expectRel(l.pValue, 0.006404058784815556, 1e-9);
    const s = Array.from({ length: 40 }, (_, i) => i);
    const swapped = [...s];
    [swapped[10], swapped[11]] = [11, 10];
    const one = kendallTauB(s, swapped);
    expect(one.pMethod).toBe('exact');
    expectRel(one.coefficient, 0.9974358974358974);
    expectRel(one.pValue, 9.804939513027087e-47, 1e-9);
  });
  it('exact distribution closed forms: n = 4 has 24 permutations, 1 with 0 inversions and 3 with 1', () => {
    // Mahonian numbers for n = 4: 1, 3, 5, 6, 5, 3, 1.
    expectRel(kendallExactP(4, 0), 2 / 24, 1e-14);
    expectRel(kendallExactP(4, 1), (2 * 4) / 24, 1e-14);
    expectRel(kendallExactP(4, 2), (2 * 9) / 24, 1e-14);
    expect(kendallExactP(4, 3)).toBe(1);
  });
  it('tau-b by hand with ties: x = [1,1,2,3], y = [1,2,2,3]', () => {
    // Pairs (6): (12) tied x, (13) C, (14) C, (23) tied y, (24) C, (34) C: C = 4, D = 0, n1 = 1, n2 = 1.
    // tau_b = 4 / sqrt((6 - 1)(6 - 1)) = 0.8.
    expectRel(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3]).coefficient, 0.8, 1e-14);
  });
  it('constant and tiny inputs', () => {
    expect(kendallTauB([2, 2, 2, 2], [1, 2, 3, 4])).toMatchObject({
      coefficient: null,
      reason: 'constant column',
    });
    expect(kendallTauB([1, 2], [1, 2])).toMatchObject({ coefficient: null, reason: 'n < 3' });
  });
});

describe('ols', () => {
  it('matches scipy.stats.linregress and the F test (scipy.stats.f.sf)', () => {
    const a = ols(A_X, A_Y);
    expectRel(a.slope, 0.7936686152231486);
    expectRel(a.intercept, 0.08072137269498764);
    expectRel(a.r2, 0.8123810866661777);
    expectRel(a.fStatistic, 34.639624427234274);
    expectRel(a.fPValue, 0.0003676926822823121, 1e-8);
    const t = ols(T_X, T_Y);
    expectRel(t.slope, 0.8543371522094925);
    expectRel(t.intercept, 1.011456628477906);
    expectRel(t.fPValue, 0.00010879141031387406, 1e-8);
  });
  it('exact line: slope and intercept by hand, F infinite reported as null with p = 0', () => {
    const r = ols([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(r).toMatchObject({ slope: 2, intercept: 1, r2: 1, fStatistic: null, fPValue: 0 });
    expect(r.reason).toMatch(/perfect fit/);
  });
  it('constant x is undefined; constant y has slope 0 but no R²', () => {
    expect(ols([1, 1, 1], [1, 2, 3])).toMatchObject({ slope: null, reason: 'constant column' });
    expect(ols([1, 2, 3], [4, 4, 4])).toMatchObject({ slope: 0, intercept: 4, r2: null });
  });
});

describe('pairwiseRankingAccuracy', () => {
  it('counts concordant pairs among pairs untied on both variables (hand-worked)', () => {
    // x = [1,2,3,4], y = [1,3,2,4]: 6 pairs, only (2,3) discordant -> 5/6.
    expect(pairwiseRankingAccuracy([1, 2, 3, 4], [1, 3, 2, 4])).toEqual({
      accuracy: 5 / 6,
      concordant: 5,
      discordant: 1,
      n: 4,
    });
    // Ties are left out: x = [1,1,2,3], y = [1,2,2,3] -> C = 4, D = 0 (see the tau-b case) -> 1.
    expect(pairwiseRankingAccuracy([1, 1, 2, 3], [1, 2, 2, 3]).accuracy).toBe(1);
  });
  it('agrees with a brute-force O(n²) count on the n = 40 data and on tied data', () => {
    for (const [x, y] of [
      [L_X, L_Y],
      [T_X, T_Y],
    ] as const) {
      let c = 0;
      let d = 0;
      for (let i = 0; i < x.length; i++) {
        for (let j = i + 1; j < x.length; j++) {
          const s =
            Math.sign((x[i] as number) - (x[j] as number)) * Math.sign((y[i] as number) - (y[j] as number));
          if (s > 0) c++;
          if (s < 0) d++;
        }
      }
      expect(pairwiseRankingAccuracy(x, y)).toMatchObject({
        concordant: c,
        discordant: d,
        accuracy: c / (c + d),
      });
    }
  });
  it('is null when no pair is untied on both', () => {
    expect(pairwiseRankingAccuracy([1, 1, 1], [1, 2, 3]).accuracy).toBeNull();
  });
});

describe('partialSpearman', () => {
  it('matches the residual-regression partial correlation of the ranks (numpy) with a t(n - 3) p-value', () => {
    const r = partialSpearman(L_X, L_Y, Z);
    expect(r.n).toBe(40);
    expectRel(r.coefficient, 0.3697402597671864);
    expectRel(r.pValue, 0.02052147100058844, 1e-8);
  });
  it('equals plain Spearman when the covariate is uncorrelated with both (hand-built)', () => {
    // Ranks of z orthogonal to ranks of x and y: r_xz = r_yz = 0 -> partial = r_xy.
    const x = [1, 2, 3, 4];
    const y = [1, 3, 2, 4];
    const z = [1, 4, 4, 1];
    expect(spearman(x, z).coefficient).toBeCloseTo(0, 14);
    expect(spearman(y, z).coefficient).toBeCloseTo(0, 14);
    expect(partialSpearman(x, y, z).coefficient).toBeCloseTo(spearman(x, y).coefficient as number, 14);
  });
  it('undefined cases', () => {
    expect(partialSpearman([1, 2, 3], [1, 2, 3], [3, 1, 2]).reason).toBe('n < 4');
    expect(partialSpearman([1, 2, 3, 4], [1, 3, 2, 4], [5, 5, 5, 5]).reason).toBe('constant covariate');
    expect(partialSpearman([1, 2, 3, 4], [1, 3, 2, 4], [1, 2, 3, 4]).coefficient).toBeNull();
  });
});

describe('benjaminiHochberg', () => {
  it('matches scipy.stats.false_discovery_control(method="bh")', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.041, 0.9]);
    const expected = [0.04, 0.0656, 0.0656, 0.04, 0.26666666666666666, 0.5714285714285714, 0.0656, 0.9];
    for (const [i, v] of q.entries()) expectRel(v, expected[i] as number, 1e-12);
  });
  it('keeps nulls out of m and in place', () => {
    // Hand-worked: p = [0.02, 0.01] -> q = [min(0.02*2/2, 1), min(0.01*2/1, 0.02)] = [0.02, 0.02].
    expect(benjaminiHochberg([0.02, null, 0.01])).toEqual([0.02, null, 0.02]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(/outside/);
  });
});
