import { describe, expect, it } from 'vitest';
import { golden, m, maxRelDiff, range } from '../test/golden.ts';
import { mul, normals, randomMatrix, standardiseColumns, trialsFrom } from '../test/synthetic.ts';
import { averageRepetitions, splitHalfCeiling } from './ceiling.ts';
import { linearCka } from './cka.ts';
import { commitAndScore } from './commitment.ts';
import { gram, type Matrix, matrix, selectRows } from './matrix.ts';
import { defaultSplits, neuralMetric, withCeiling } from './metric.ts';
import { rdmSimilarity, rdmUpperTriangle } from './rdm.ts';
import { ridgeCvPredictFromGram } from './ridge.ts';

describe('cross-validated neural predictivity', () => {
  it('equals Brain-Score CrossRegressedCorrelation(pls) on explicit splits (sklearn + scipy)', () => {
    const c = golden.crossValidated;
    const r = neuralMetric({
      metric: 'pls',
      features: m(c.x),
      responses: m(c.y),
      splits: c.splits,
      components: c.components,
    });
    // against sklearn with its power iteration run to convergence (tol 1e-15), which is itself ~3e-7 from the exact limit (pls.test.ts)
    r.perSplit.forEach((v, i) => {
      expect(v).toBeCloseTo(c.perSplitTight[i] as number, 6);
    });
    expect(r.raw).toBeCloseTo(c.meanTight, 6);
    // sklearn's defaults (tol 1e-6) move its predictions by ~1e-3 relative (pls.test.ts); a median r over
    // 8 neuroids on 6 stimuli moves by about as much.
    r.perSplit.forEach((v, i) => {
      expect(v).toBeCloseTo(c.perSplit[i] as number, 2);
    });
    expect(r.raw).toBeCloseTo(c.mean, 2);
    expect(r.error).toBeCloseTo(c.error, 2);
  });

  it('skips constant neuroids in the median and says how many', () => {
    const c = golden.plsConstant;
    const r = neuralMetric({
      metric: 'pls',
      features: m(c.x),
      responses: m(c.y),
      splits: [{ train: range(0, c.nTrain), test: range(c.nTrain, c.x.length) }],
      components: c.components,
    });
    expect(r.undefinedNeuroids).toEqual([1]);
    expect(Number.isFinite(r.raw)).toBe(true);
  });

  it('rejects NaN responses, mismatched stimuli and bad splits with one-line errors', () => {
    const x = matrix(4, 2, Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const y = matrix(4, 2, Float64Array.from([1, 2, 3, Number.NaN, 5, 6, 7, 8]));
    const splits = [{ train: [0, 1, 2], test: [3] }];
    expect(() => neuralMetric({ metric: 'pls', features: x, responses: y, splits })).toThrow(
      'responses has a non-finite value (NaN) at row 1, column 1',
    );
    expect(() => neuralMetric({ metric: 'pls', features: x, responses: matrix(3, 2), splits })).toThrow(
      'features have 4 stimuli, responses 3: they must be the same stimuli',
    );
    expect(() =>
      neuralMetric({ metric: 'pls', features: x, responses: x, splits: [{ train: [0, 1], test: [1, 7] }] }),
    ).toThrow('split 0 names stimulus index 7, outside 0..3');
  });

  it('ridge: chooses the alpha sklearn RidgeCV chooses and predicts as it does', () => {
    const c = golden.ridge;
    const x = m(c.x);
    const fit = ridgeCvPredictFromGram({
      gram: gram(x),
      size: x.rows,
      y: m(c.y),
      train: range(0, c.nTrain),
      test: range(c.nTrain, x.rows),
    });
    expect(fit.alpha).toBe(c.alpha);
    expect(maxRelDiff(fit.prediction, c.prediction)).toBeLessThan(1e-8);
  });
});

describe('RSA and CKA', () => {
  it('RDM Spearman and unbiased/biased linear CKA equal the Brain-Score formulas (numpy/scipy)', () => {
    const s = golden.similarity;
    expect(rdmSimilarity(rdmUpperTriangle(m(s.a)), rdmUpperTriangle(m(s.b)))).toBeCloseTo(s.rdmSpearman, 12);
    expect(linearCka(m(s.a), m(s.b))).toBeCloseTo(s.unbiasedCka, 10);
    expect(linearCka(m(s.a), m(s.b), { unbiased: false })).toBeCloseTo(s.biasedCka, 10);
  });

  it('linear CKA of a representation with a rotated, scaled copy of itself is 1', () => {
    // CKA is invariant to orthogonal transforms and isotropic scaling (Kornblith et al. 2019, section 3).
    const next = normals(7);
    const a = randomMatrix(30, 2, next);
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rot = mul(a, matrix(2, 2, Float64Array.from([3 * c, -3 * s, 3 * s, 3 * c])));
    expect(linearCka(a, rot, { unbiased: false })).toBeCloseTo(1, 12);
  });
});

/**
 * Synthetic assembly: responses = a rank-5 linear map of "layer" features, standardised to unit variance
 * per neuroid, plus N(0, sigma^2) noise on each of R repetitions. Closed forms:
 * - the split-half ceiling (halves of R/2 repetitions, Spearman-Brown to R) is the reliability of the
 *   R-repetition mean: 1 / (1 + sigma^2 / R);
 * - a model that predicts the signal exactly reaches r = sqrt(ceiling) on held-out stimuli, so its ceiled
 *   score r^2 / ceiling is 1 (and (r / ceiling)^2 = 1 / ceiling... r^2/c^2 = 1/c, see below).
 */
describe('synthetic assembly from a known linear map', () => {
  const n = 300;
  const p = 40;
  const q = 30;
  const reps = 6;
  const sigma = 1.5;
  const next = normals(2026, 'synthetic');
  const features = randomMatrix(n, p, next);
  const map = mul(randomMatrix(p, 5, next), randomMatrix(5, q, next));
  const signal = standardiseColumns(mul(features, map));
  const trials = trialsFrom(signal, reps, sigma, next);
  const responses = matrix(n, q, averageRepetitions(trials));
  const expectedCeiling = 1 / (1 + sigma ** 2 / reps); // 0.7273

  it('the ceiling matches the generating noise level', () => {
    const ceiling = splitHalfCeiling(trials);
    if (ceiling.value === null) throw new Error(ceiling.reason);
    // sampling error of a median of 30 split-half r's over 300 stimuli: about 0.01
    expect(Math.abs(ceiling.value - expectedCeiling)).toBeLessThan(0.03);
    expect(ceiling.perSplit).toHaveLength(10);
  });

  it('scores the generating features near the ceiling and a shuffled control near zero', () => {
    const splits = defaultSplits('pls', n);
    const good = withCeiling(
      neuralMetric({ metric: 'pls', features, responses, splits }),
      splitHalfCeiling(trials),
    );
    // r = sqrt(reliability) = 0.853 for a perfect fit; 25 components on 270 stimuli lose a little
    expect(good.raw).toBeGreaterThan(Math.sqrt(expectedCeiling) - 0.08);
    expect(good.raw).toBeLessThan(Math.sqrt(expectedCeiling) + 0.03);
    expect(good.ceiled?.explainedVariance).toBeGreaterThan(0.85);
    expect(good.ceiled?.explainedVariance).toBeLessThan(1.08);
    // the old convention divides r by the ceiling before squaring: r^2 / c^2 = (r^2 / c) / c
    expect(good.ceiled?.squaredRatio).toBeCloseTo(
      (good.ceiled?.explainedVariance as number) / (good.ceiling.value as number),
      12,
    );
    const perm = range(0, n).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
    const shuffled = neuralMetric({ metric: 'pls', features: selectRows(features, perm), responses, splits });
    expect(Math.abs(shuffled.raw)).toBeLessThan(0.12);
    const ridge = neuralMetric({ metric: 'ridge', features, responses, splits: splits.slice(0, 1) });
    expect(ridge.raw).toBeGreaterThan(Math.sqrt(expectedCeiling) - 0.08);
    expect(ridge.alphas).toHaveLength(1);
  });

  it('rdm and cka rank the generating features above the shuffled control', () => {
    const perm = range(0, n).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
    for (const metric of ['rdm', 'cka'] as const) {
      const splits = defaultSplits(metric, n).slice(0, 3);
      const good = neuralMetric({ metric, features, responses, splits });
      const bad = neuralMetric({ metric, features: selectRows(features, perm), responses, splits });
      expect(good.raw).toBeGreaterThan(0.2);
      expect(Math.abs(bad.raw)).toBeLessThan(0.1);
      expect(withCeiling(good, splitHalfCeiling(trials)).ceiled).toBeNull();
    }
  });

  it('layer commitment picks the generating layer on the commitment half and reports on the other', () => {
    const noise = randomMatrix(n, p, next);
    const partial = matrix(
      n,
      p,
      features.data.map((v, i) => 0.5 * v + (noise.data[i] as number)),
    );
    const result = commitAndScore({
      layers: [
        { layer: 'conv1', features: randomMatrix(n, p, next) },
        { layer: 'conv2', features },
        { layer: 'fc', features: partial },
      ],
      responses,
      commitRows: range(0, 150),
      reportRows: range(150, 300),
      metric: 'pls',
      components: 10,
    });
    expect(result.committed.layer).toBe('conv2');
    const score = (l: string) => result.candidates.find((c) => c.layer === l)?.score as number;
    expect(score('conv2')).toBeGreaterThan(score('fc'));
    expect(score('fc')).toBeGreaterThan(score('conv1'));
    // the report score is the committed layer's metric on the other 150 stimuli
    const direct = neuralMetric({
      metric: 'pls',
      features: selectRows(features, range(150, 300)),
      responses: selectRows(responses, range(150, 300)),
      splits: result.splits,
      components: 10,
    });
    expect(result.result.raw).toBe(direct.raw);
    expect(result.splits.every((s) => s.test.every((i) => i < 150))).toBe(true);
    expect(() =>
      commitAndScore({
        layers: [{ layer: 'a', features }],
        responses,
        commitRows: [0, 1],
        reportRows: [1, 2],
        metric: 'pls',
      }),
    ).toThrow('stimulus row 1 is in both the commitment and the report set');
  });
});

describe('ceiling edge cases', () => {
  const next = normals(11, 'ceiling');
  const signal = standardiseColumns(randomMatrix(200, 20, next));

  it('an assembly without repetitions has no ceiling, and says why', () => {
    const ceiling = splitHalfCeiling(trialsFrom(signal, 1, 1, next));
    expect(ceiling).toEqual({
      value: null,
      reason: 'no repetitions: the assembly has 1 per stimulus, a split-half ceiling needs 2 or more',
    });
  });

  it('missing repetitions are skipped: the ceiling lies between the closed forms for the fewer and the full count', () => {
    const sigma = 1;
    const t = trialsFrom(signal, 6, sigma, next);
    // drop the last two repetitions of every other stimulus
    for (let s = 0; s < 200; s += 2)
      for (let j = 0; j < 20; j++) for (const r of [4, 5]) t.values[(s * 20 + j) * 6 + r] = Number.NaN;
    const ceiling = splitHalfCeiling(t);
    if (ceiling.value === null) throw new Error(ceiling.reason);
    expect(ceiling.value).toBeGreaterThan(1 / (1 + sigma ** 2 / 4) - 0.03); // 0.8 with 4 repetitions
    expect(ceiling.value).toBeLessThan(1 / (1 + sigma ** 2 / 6) + 0.03); // 0.857 with 6
    const avg = averageRepetitions(t);
    const stim0 = range(0, 4).reduce((a, r) => a + (t.values[r] as number), 0) / 4;
    expect(avg[0]).toBeCloseTo(stim0, 12);
  });
});

export type { Matrix };
