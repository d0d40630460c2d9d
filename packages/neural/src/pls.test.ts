import { describe, expect, it } from 'vitest';
import { golden, m, maxRelDiff, range } from '../test/golden.ts';
import { fromRows, gram } from './matrix.ts';
import { nipalsPls, nipalsPredict } from './nipals.ts';
import { plsPredictFromGram } from './pls.ts';

/** Kernel PLS trained on the first nTrain rows, predicting the rest. */
function kernelPls(x: number[][], y: number[][], nTrain: number, components: number) {
  const xm = fromRows(x);
  return plsPredictFromGram({
    gram: gram(xm),
    size: xm.rows,
    features: xm.cols,
    y: fromRows(y),
    train: range(0, nTrain),
    test: range(nTrain, x.length),
    components,
  });
}

describe('kernel PLS', () => {
  it('reproduces a one-component NIPALS worked by hand', () => {
    // Centred X = [[1,0],[-1,0],[0,1],[0,-1]] (shifted by +1), y = [2,-2,1,-1] (shifted by +5).
    // X'y = [4, 2], so w = [2,1]/sqrt5; t = Xw = [2,-2,1,-1]/sqrt5, t't = 2; p = X't/t't = w (X'X = 2I), so
    // p'w = 1; q = y't/t't = sqrt5. coef = w (p'w)^-1 q = [2, 1]. For x* = [2, 2] (centred [1, 1]):
    // y* = 5 + 2 + 1 = 8; for x* = [1, 3] (centred [0, 2]): y* = 5 + 2 = 7.
    const x = [
      [2, 1],
      [0, 1],
      [1, 2],
      [1, 0],
      [2, 2],
      [1, 3],
    ];
    const y = [[7], [3], [6], [4], [0], [0]];
    const { prediction } = kernelPls(x, y, 4, 1);
    expect(prediction.data[0]).toBeCloseTo(8, 12);
    expect(prediction.data[1]).toBeCloseTo(7, 12);
  });

  for (const name of ['plsSmall', 'plsWide', 'plsConstant'] as const) {
    it(`equals sklearn PLSRegression(scale=False) on ${name}`, () => {
      const c = golden[name];
      const { prediction } = kernelPls(c.x, c.y, c.nTrain, c.components);
      // The exact NIPALS limit (numpy SVD per weight) and sklearn with its power iteration run to
      // tol 1e-15 agree with each other to ~3e-7 absolute; this formulation is exact up to rounding.
      expect(maxRelDiff(prediction, c.exact)).toBeLessThan(1e-9);
      expect(maxRelDiff(prediction, c.sklearnTight)).toBeLessThan(1e-6);
      // sklearn's defaults stop its power iteration once ||w_new - w_old||^2 < 1e-6, i.e. a weight step
      // under 1e-3: its predictions sit within a few 1e-3 (relative) of the converged model.
      expect(maxRelDiff(prediction, c.sklearn)).toBeLessThan(5e-3);
    });
  }

  it('predicts a constant neuroid as its constant', () => {
    const c = golden.plsConstant;
    const { prediction } = kernelPls(c.x, c.y, c.nTrain, c.components);
    for (let i = 0; i < prediction.rows; i++)
      expect(prediction.data[i * prediction.cols + 2]).toBeCloseTo(3.25, 12);
  });

  it('matches the NIPALS transcription of sklearn', () => {
    const c = golden.plsWide;
    const model = nipalsPls(m(c.x.slice(0, c.nTrain)), m(c.y.slice(0, c.nTrain)), c.components);
    expect(maxRelDiff(nipalsPredict(model, m(c.x.slice(c.nTrain))), c.sklearn)).toBeLessThan(1e-9);
  });

  it('refuses more components than features or than training samples allow', () => {
    const x = golden.plsSmall.x.map((r) => r.slice(0, 4));
    expect(() => kernelPls(x, golden.plsSmall.y, 40, 5)).toThrow(
      'PLS with 5 components needs at least 5 features, got 4',
    );
    // sklearn's own check for the same case (recorded): "`n_components` upper bound is 12. Got 13 instead."
    expect(golden.tooManyComponents).toContain('upper bound is 12. Got 13');
    expect(() => kernelPls(golden.plsWide.x, golden.plsWide.y, 5, 5)).toThrow(
      'PLS with 5 components needs at least 6 training samples, got 5',
    );
  });

  it('stops adding components when the targets are fitted exactly, as sklearn does', () => {
    // Centred columns: c0 = [-2,-1,0,1,2] is orthogonal to c1 = [1,-1,0,-1,1] and c2 = [1,0,-2,0,1], and
    // y = 2 c0 + 1, so X'y = [20, 0, 0]: the first score is c0 and fits y exactly; the Y residual is then
    // zero and sklearn stops ("Y residual is constant at iteration 1"). Test row [4, 5, 5]: c0 = 3, y = 7.
    const x = [
      [-1, 1, 1],
      [0, -1, 0],
      [1, 0, -2],
      [2, -1, 0],
      [3, 1, 1],
      [4, 5, 5],
    ];
    const y = x.map((r) => [2 * ((r[0] as number) - 1) + 1]);
    const res = kernelPls(x, y, 5, 2);
    expect(res.diagnostics.stoppedAt).toBe(1);
    expect(res.prediction.data[0]).toBeCloseTo(7, 10);
  });
});
