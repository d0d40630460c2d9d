/**
 * Bootstrap intervals of shape bias and error consistency against a brute-force bootstrap: on small cases
 * every one of the n^n equally likely resamples is enumerated, the resampled trials are written out and
 * scored with the plain (unweighted) functions, and the seeded Monte Carlo percentile interval must fall
 * where the exact bootstrap distribution's cdf crosses 2.5 % and 97.5 % (±1 % Monte Carlo error at
 * 20,000 resamples).
 */
import { describe, expect, it } from 'vitest';
import {
  cohensKappa,
  errorConsistency,
  errorConsistencyIntervals,
  shapeBias,
  shapeBiasIntervals,
  type Trial,
} from '../src/index.ts';

/** Every resample of n items (index vectors), n^n of them. */
function* allResamples(n: number): Generator<number[]> {
  const idx = new Array<number>(n).fill(0);
  for (let t = 0; t < n ** n; t++) {
    let r = t;
    for (let i = 0; i < n; i++) {
      idx[i] = r % n;
      r = Math.floor(r / n);
    }
    yield idx;
  }
}

function expectOnExactPercentiles(exact: number[], iv: { low: number; high: number } | null) {
  if (!iv) throw new Error('no interval');
  const sorted = exact.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const cdf = (x: number) => sorted.filter((v) => v <= x).length / sorted.length;
  expect(cdf(iv.low + 1e-12)).toBeGreaterThanOrEqual(0.015);
  expect(cdf(iv.low - 1e-12)).toBeLessThanOrEqual(0.035);
  expect(cdf(iv.high + 1e-12)).toBeGreaterThanOrEqual(0.965);
  expect(cdf(iv.high - 1e-12)).toBeLessThanOrEqual(0.985);
}

describe('shapeBiasIntervals', () => {
  // Six true-conflict decisions: 3 shape, 2 texture, 1 other; one same-category image is left out.
  const decisions = [
    { imagename: 'cat1-dog1.png', decision: 'cat' },
    { imagename: 'cat2-car1.png', decision: 'cat' },
    { imagename: 'boat1-dog2.png', decision: 'boat' },
    { imagename: 'dog3-cat3.png', decision: 'cat' },
    { imagename: 'car2-boat2.png', decision: 'boat' },
    { imagename: 'bird1-cat4.png', decision: 'knife' },
    { imagename: 'cat5-cat6.png', decision: 'cat' },
  ];
  const counted = decisions.slice(0, 6);

  it('matches the brute-force bootstrap of shape bias and shape match', () => {
    const bias: number[] = [];
    const match: number[] = [];
    for (const idx of allResamples(6)) {
      const r = shapeBias(idx.map((i) => counted[i] as (typeof counted)[number]));
      bias.push(r.shapeBias);
      match.push(r.shapeMatch);
    }
    const iv = shapeBiasIntervals(decisions, { resamples: 20000, seed: 5 });
    expectOnExactPercentiles(bias, iv.shapeBias);
    expectOnExactPercentiles(match, iv.shapeMatch);
    expect(iv).toMatchObject({ resamples: 20000, seed: 5, level: 0.95 });
  });

  it('is seeded, and on 400 decisions brackets the value with about the binomial width', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      imagename: `cat${i}-dog${i}.png`,
      decision: i % 4 === 0 ? 'cat' : i % 4 === 1 ? 'knife' : 'dog',
    }));
    const a = shapeBiasIntervals(many);
    expect(shapeBiasIntervals(many)).toEqual(a);
    expect(shapeBiasIntervals(many, { seed: 1 })).not.toEqual(a);
    // shape bias = 100 / 300 = 1/3; the binomial standard error sqrt(p(1-p)/300) = 0.0272, so a 95 %
    // interval is about ±0.053 (normal approximation, worked by hand): check the width to within 30 %.
    const iv = a.shapeBias as { low: number; high: number };
    expect(iv.low).toBeLessThan(1 / 3);
    expect(iv.high).toBeGreaterThan(1 / 3);
    expect(iv.high - iv.low).toBeGreaterThan(2 * 0.053 * 0.7);
    expect(iv.high - iv.low).toBeLessThan(2 * 0.053 * 1.3);
  });

  it('says when there is nothing to resample', () => {
    expect(() => shapeBiasIntervals([{ imagename: 'cat1-cat2.png', decision: 'cat' }])).toThrow(
      'shape bias interval: no cue-conflict decisions to resample',
    );
  });
});

describe('errorConsistencyIntervals', () => {
  // One condition, five images; model M and humans H1, H2 (true = correct).
  const correct = {
    M: [true, true, false, true, false],
    H1: [true, false, false, true, true],
    H2: [true, true, false, false, true],
  };
  const trials = (subj: keyof typeof correct): Trial[] =>
    correct[subj].map((c, i) => ({
      subj,
      session: '1',
      trial: i + 1,
      rt: null,
      objectResponse: c ? 'dog' : 'cat',
      category: 'dog',
      condition: '0',
      imagename: `img${i}.png`,
    }));

  it('matches the brute-force bootstrap of each subject, the raw mean and the ceiled value', () => {
    const per1: number[] = [];
    const per2: number[] = [];
    const raw: number[] = [];
    const ceiled: number[] = [];
    for (const idx of allResamples(5)) {
      const pick = (s: keyof typeof correct) => idx.map((i) => correct[s][i] as boolean);
      const k1 = cohensKappa(pick('M'), pick('H1')).kappa;
      const k2 = cohensKappa(pick('M'), pick('H2')).kappa;
      const ceiling = cohensKappa(pick('H1'), pick('H2')).kappa;
      per1.push(k1);
      per2.push(k2);
      raw.push((k1 + k2) / 2);
      ceiled.push((k1 + k2) / 2 / ceiling);
    }
    const iv = errorConsistencyIntervals(trials('M'), [trials('H1'), trials('H2')], {
      dataset: 'test',
      resamples: 20000,
      seed: 2,
    });
    expect(iv.perSubject.map((s) => s.subject)).toEqual(['H1', 'H2']);
    expectOnExactPercentiles(per1, iv.perSubject[0]?.interval ?? null);
    expectOnExactPercentiles(per2, iv.perSubject[1]?.interval ?? null);
    expectOnExactPercentiles(raw, iv.raw);
    // raw / ceiling is undefined where a resampled ceiling is 0 (dropped on both sides).
    expectOnExactPercentiles(ceiled, iv.ceiled);
  });

  it('validates the trials as errorConsistency does (same one-line message)', () => {
    const humans = [trials('H1'), trials('H2')];
    let expected = '';
    try {
      errorConsistency(trials('M').slice(1), humans, { dataset: 'test' });
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/^M has no trial on image img0.png/);
    expect(() => errorConsistencyIntervals(trials('M').slice(1), humans, { dataset: 'test' })).toThrow(
      expected,
    );
  });
});
