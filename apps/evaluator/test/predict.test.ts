/**
 * `alignscope predict` (issue 12): the cross-validated robustness predictor on a score table.
 * Golden values: apps/evaluator/scripts/gavrikov-reference.py (scipy/numpy re-implementation of the
 * documented protocol, run with /usr/bin/python3 on the data bundle), and a hand-worked case.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import { describe, expect, it } from 'vitest';
import { parseScoresCsv } from '../src/commands/analyze.ts';
import { predictReport } from '../src/commands/predict.ts';

const csv = path.join(requireDataDir(), 'public-results/biases-vs-generalization/benchmark.csv');
const opts = { minN: 8, folds: 'loo' as const, lambda: 0.1, seed: 0 };

describe('predictReport', () => {
  it('ranks models by a perfectly monotone feature without error (hand-worked)', () => {
    // y = x over 10 models. Every leave-one-out training set has mid-ECDF ranks (k - 0.5)/9, k = 1..9,
    // for x and y alike, so every fold fits the same line b + w T with w > 0, and the held-out model's
    // T(x_i) = (i - 1)/9 increases with i: held-out predictions are in the target's order.
    // The third column has 2 values (< min n 8) and is left out; the constant one too.
    const models = Array.from({ length: 10 }, (_, i) => `m${i}`);
    const x = models.map((_, i) => i + 1);
    const input = {
      models,
      columns: {
        y: x,
        x,
        sparse: x.map((v) => (v <= 2 ? v : null)),
        flat: x.map(() => 0.5),
      },
    };
    const r = predictReport(input, { ...opts, target: 'y' }, 'test');
    expect(r.features.selected).toEqual(['x']);
    expect(r.features.dropped).toEqual([
      { benchmark: 'sparse', reason: 'n = 2 < 8' },
      { benchmark: 'flat', reason: 'constant' },
    ]);
    expect(r.result.heldOutRankingAccuracy).toBe(1);
    expect(r.result.heldOutSpearman).toBeCloseTo(1, 12);
    expect(r.predictions.map((p) => p.model)).toEqual([...models].reverse());
  });

  it('matches the independent reference on the Gavrikov & Keuper table', () => {
    const input = parseScoresCsv(readFileSync(csv, 'utf8'), csv);
    const target = 'top1_acc/PGD-40/low';
    // gavrikov-reference.py: loo predictor ['shape-bias'] -> n=65 heldout_rho=0.4638548951048951
    // ranking_accuracy=0.6697115384615384
    const one = predictReport(input, { ...opts, target, features: ['shape-bias'] }, csv);
    expect(one.result.n).toBe(65);
    expect(one.result.heldOutRankingAccuracy).toBeCloseTo(0.6697115384615384, 12);
    expect(one.result.heldOutSpearman).toBeCloseTo(0.4638548951048951, 12);
    // ['shape-bias', 'top1_acc/imagenet'] -> heldout_rho=0.43946678321678323 ranking_accuracy=0.6576923076923077
    const two = predictReport(input, { ...opts, target, features: ['shape-bias', 'top1_acc/imagenet'] }, csv);
    expect(two.result.heldOutRankingAccuracy).toBeCloseTo(0.6576923076923077, 12);
    expect(two.result.heldOutSpearman).toBeCloseTo(0.43946678321678323, 12);
    expect(two.predictions).toHaveLength(65);
  });

  it('names an unknown column before running anything', () => {
    const input = { models: ['a', 'b'], columns: { y: [1, 2], x: [1, 2] } };
    expect(() => predictReport(input, { ...opts, target: 'z' }, 'scores.csv')).toThrow(
      'target "z" is not a column of scores.csv (columns: y, x)',
    );
    expect(() => predictReport(input, { ...opts, target: 'y' }, 'scores.csv')).toThrow(
      'no usable feature: every candidate has fewer than 8 values among the models with "y" or is constant (lower --min-n or name --features)',
    );
  });
});
