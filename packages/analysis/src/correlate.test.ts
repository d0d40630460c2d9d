import { describe, expect, it } from 'vitest';
import { A_X, A_Y, L_X, L_Y, T_X, Z } from '../test/golden-data.ts';
import {
  benjaminiHochberg,
  correlate,
  kendallTauB,
  ols,
  pairwiseRankingAccuracy,
  partialSpearman,
  pearson,
  percentileBootstrap,
  spearman,
} from './index.ts';
import type { CorrelationRow } from './types.ts';

// 40 models: the target is L_Y, the covariate Z, and benchmarks of every kind of edge case.
const models = L_X.map((_, i) => `m${i}`);
const pad = (v: (number | null)[]) => [...v, ...Array<null>(40 - v.length).fill(null)];
const columns: Record<string, (number | null)[]> = {
  robust: L_Y,
  clean: Z,
  strong: L_X,
  ties: L_X.map((v) => Math.round(v * 4) / 4),
  sparse: pad(A_X), // 10 models
  tiny: pad([1, 2, 3, 4, 5]), // below minN
  two: pad([1, 2]),
  constant: L_X.map(() => 0.5),
  empty: L_X.map(() => null),
  withTies: pad(T_X),
};

function byName(rows: CorrelationRow[], name: string): CorrelationRow {
  const r = rows.find((x) => x.benchmark === name);
  if (!r) throw new Error(`no row ${name}`);
  return r;
}

describe('correlate', () => {
  const boot = { resamples: 200, seed: 4 };
  const rows = correlate(
    { models, columns },
    { target: 'robust', method: 'spearman', covariate: 'clean', bootstrap: boot },
  );

  it('has one row per other column, in input order', () => {
    expect(rows.map((r) => r.benchmark)).toEqual(Object.keys(columns).filter((c) => c !== 'robust'));
  });

  it('each row equals the single-statistic functions on the pairwise-complete pairs', () => {
    for (const name of ['strong', 'ties', 'sparse', 'withTies', 'clean']) {
      const r = byName(rows, name);
      const x = columns[name] as (number | null)[];
      const s = spearman(x, L_Y);
      expect(r.n).toBe(s.n);
      expect(r.coefficient).toBeCloseTo(s.coefficient as number, 14);
      expect(r.pValue).toBeCloseTo(s.pValue as number, 14);
      const fit = ols(x, L_Y);
      expect(r.slope).toBeCloseTo(fit.slope as number, 12);
      expect(r.intercept).toBeCloseTo(fit.intercept as number, 12);
      expect(r.r2).toBeCloseTo(fit.r2 as number, 12);
      expect(r.fStatistic).toBeCloseTo(fit.fStatistic as number, 9);
      expect(r.fPValue).toBeCloseTo(fit.fPValue as number, 12);
      expect(r.rankingAccuracy).toBe(pairwiseRankingAccuracy(x, L_Y).accuracy);
      const ci = percentileBootstrap(x, L_Y, 'spearman', boot);
      expect(r.ciLow).toBeCloseTo(ci.low as number, 12);
      expect(r.ciHigh).toBeCloseTo(ci.high as number, 12);
    }
  });

  it('matches the scipy golden values for the n = 40 column (scripts/golden.py)', () => {
    const r = byName(rows, 'strong');
    expect(r.coefficient).toBeCloseTo(0.43076923076923085, 12);
    expect(r.pValue).toBeCloseTo(0.0055233671411370104, 12);
    expect(r.slope).toBeCloseTo(0.5032127019372094, 12);
    expect(r.fPValue).toBeCloseTo(0.0022295710750882733, 12);
    expect(r.partialCoefficient).toBeCloseTo(0.3697402597671864, 12);
    expect(r.partialPValue).toBeCloseTo(0.02052147100058844, 12);
  });

  it('partial Spearman per row, and none for the covariate itself', () => {
    const r = byName(rows, 'ties');
    const p = partialSpearman(columns.ties as number[], L_Y, Z);
    expect(r.partialCoefficient).toBeCloseTo(p.coefficient as number, 14);
    expect(r.partialPValue).toBeCloseTo(p.pValue as number, 14);
    const c = byName(rows, 'clean');
    expect(c.partialCoefficient).toBeNull();
    expect(c.reason).toMatch(/partial: the benchmark is the covariate/);
  });

  it('undefined rows are null with a reason (never NaN): constant, all-missing, n < 3', () => {
    expect(byName(rows, 'constant')).toMatchObject({
      n: 40,
      coefficient: null,
      pValue: null,
      qValue: null,
      ciLow: null,
      slope: null,
      significant: false,
    });
    expect(byName(rows, 'constant').reason).toMatch(/^constant column/);
    expect(byName(rows, 'empty')).toMatchObject({ n: 0, coefficient: null, reason: 'no overlapping models' });
    expect(byName(rows, 'two')).toMatchObject({ n: 2, coefficient: null });
    expect(byName(rows, 'two').reason).toMatch(/^n < 3/);
    expect(JSON.stringify(rows)).not.toMatch(/NaN|Infinity/);
    const numbers = rows.flatMap((r) => Object.values(r).filter((v): v is number => typeof v === 'number'));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((v) => !Number.isFinite(v))).toEqual([]);
  });

  it('q-values: BH over the rows with a p-value and n >= minN; fewer models are never significant', () => {
    const tiny = byName(rows, 'tiny');
    expect(tiny.n).toBe(5);
    expect(tiny.coefficient).toBeCloseTo(
      spearman([1, 2, 3, 4, 5], L_Y.slice(0, 5)).coefficient as number,
      14,
    );
    expect(tiny.qValue).toBeNull();
    expect(tiny.significant).toBe(false);
    expect(tiny.reason).toMatch(/below minimum n \(8\)/);
    const family = rows.filter((r) => r.pValue !== null && r.n >= 8);
    const q = benjaminiHochberg(family.map((r) => r.pValue));
    family.forEach((r, i) => {
      expect(r.qValue).toBeCloseTo(q[i] as number, 15);
      expect(r.significant).toBe((q[i] as number) <= 0.05);
    });
    expect(byName(rows, 'strong').significant).toBe(true);
    // With minN = 5 the tiny column joins the family.
    const loose = correlate(
      { models, columns },
      { target: 'robust', method: 'spearman', minN: 5, bootstrap: false },
    );
    expect(byName(loose, 'tiny').qValue).not.toBeNull();
  });

  it('pearson and kendall methods give those coefficients, p-values and bootstrap intervals', () => {
    for (const method of ['pearson', 'kendall'] as const) {
      const r = byName(
        correlate({ models, columns }, { target: 'robust', method, bootstrap: boot }),
        'sparse',
      );
      const single =
        method === 'pearson'
          ? pearson(
              A_X,
              A_Y.map((_, i) => L_Y[i] as number),
            )
          : kendallTauB(A_X, L_Y.slice(0, 10));
      expect(r.coefficient).toBeCloseTo(single.coefficient as number, 14);
      expect(r.pValue).toBeCloseTo(single.pValue as number, 14);
      const ci = percentileBootstrap(columns.sparse as (number | null)[], L_Y, method, boot);
      expect(r.ciLow).toBeCloseTo(ci.low as number, 12);
      expect(r.ciHigh).toBeCloseTo(ci.high as number, 12);
    }
  });

  it('a constant target is reported per row', () => {
    const r = correlate(
      { models: ['a', 'b', 'c', 'd'], columns: { t: [1, 1, 1, 1], x: [1, 2, 3, 4] } },
      { target: 't', method: 'spearman', bootstrap: false },
    );
    expect(r[0]).toMatchObject({ coefficient: null, reason: 'constant target column; below minimum n (8)' });
  });

  it('rejects bad input with clear errors', () => {
    const input = { models, columns };
    expect(() => correlate(input, { target: 'nope', method: 'spearman' })).toThrow(
      /unknown target column "nope"/,
    );
    expect(() => correlate(input, { target: 'robust', method: 'spearman', covariate: 'x' })).toThrow(
      /unknown covariate column "x"/,
    );
    expect(() =>
      correlate({ models: ['a', 'a'], columns: { t: [1, 2] } }, { target: 't', method: 'spearman' }),
    ).toThrow(/duplicate model/);
    expect(() =>
      correlate({ models: ['a', 'b'], columns: { t: [1] } }, { target: 't', method: 'spearman' }),
    ).toThrow(/has 1 values for 2 models/);
    expect(() => correlate(input, { target: 'robust', method: 'spearman', minN: 0 })).toThrow(/minN/);
    expect(() => correlate(input, { target: 'robust', method: 'tau' as 'kendall' })).toThrow(
      /method must be/,
    );
    expect(() => correlate(input, { target: 'robust', method: 'spearman', covariate: 'robust' })).toThrow(
      /covariate must differ/,
    );
  });
});
