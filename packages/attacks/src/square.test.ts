import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argmaxRows } from './losses.ts';
import { Rng } from './rng.ts';
import {
  roundHalfEven,
  SQUARE_DEFAULTS,
  SQUARE_SHARE_SPAN,
  type SquareOptions,
  type SquareRowSharing,
  type SquareSpanResult,
  type SquareState,
  squareEta,
  squareL2Update,
  squarePerturb,
  squarePSelection,
  squareQueries,
  squareSingleRun,
  squareWindowL2,
  squareWindowLinf,
} from './square.ts';
import { diffNorm } from './tensor.ts';
import { centredLinearModel } from './testing-models.ts';
import type { Classifier } from './types.ts';

describe('Square p schedule (square.py p_selection)', () => {
  it('halves p at the reference thresholds without rescaling (AutoAttack)', () => {
    const p = (it: number) => squarePSelection(it, 0.8, 5000, false);
    expect(p(0)).toBe(0.8);
    expect(p(10)).toBe(0.8);
    expect(p(11)).toBe(0.4);
    expect(p(50)).toBe(0.4);
    expect(p(51)).toBe(0.2);
    expect(p(200)).toBe(0.2);
    expect(p(201)).toBe(0.1);
    expect(p(500)).toBe(0.1);
    expect(p(501)).toBe(0.05);
    expect(p(1001)).toBe(0.8 / 32);
    expect(p(2001)).toBe(0.8 / 64);
    expect(p(4000)).toBe(0.8 / 64);
    expect(p(4001)).toBe(0.8 / 128);
    expect(p(4999)).toBe(0.8 / 128); // never reaches /256 within 5000 queries
  });

  it('maps the iteration to int(it / n_queries * 10000) when rescaling (torchattacks default)', () => {
    const p = (it: number) => squarePSelection(it, 0.8, 5000, true);
    expect(p(5)).toBe(0.8); // 10
    expect(p(6)).toBe(0.4); // 12
    expect(p(25)).toBe(0.4); // 50
    expect(p(26)).toBe(0.2); // 52
    expect(p(4001)).toBe(0.8 / 512); // 8002
  });
});

describe('Square window sizes', () => {
  it('rounds half to even like Python round()', () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(7.5)).toBe(8);
    expect(roundHalfEven(2.4999)).toBe(2);
    expect(roundHalfEven(2.5001)).toBe(3);
  });

  it('uses s = max(round(sqrt(p * h * w)), 1) for Linf', () => {
    expect(squareWindowLinf(0.8, 3, 32, 32)).toBe(29); // sqrt(819.2) = 28.62
    expect(squareWindowLinf(0.8, 3, 224, 224)).toBe(200); // sqrt(40140.8) = 200.35
    expect(squareWindowLinf(0.0625, 3, 10, 10)).toBe(2); // sqrt(6.25) = 2.5 -> 2 (half to even)
    expect(squareWindowLinf(0.5625, 3, 10, 10)).toBe(8); // 7.5 -> 8
    expect(squareWindowLinf(0.8 / 512, 3, 32, 32)).toBe(1); // sqrt(1.6) = 1.26
    expect(squareWindowLinf(0.0001, 3, 10, 10)).toBe(1); // at least 1
  });

  it('uses an odd s >= 3 for L2', () => {
    expect(squareWindowL2(0.0625, 3, 10, 10)).toBe(3);
    expect(squareWindowL2(0.5625, 3, 10, 10)).toBe(9);
    expect(squareWindowL2(0.8, 3, 32, 32)).toBe(29);
  });

  it('caps the L2 window at min(h, w), as square.py since its 2021 fix', () => {
    // round(sqrt(0.8 * 8 * 40)) = 16 -> 17 (odd) -> capped at h = 8
    expect(squareWindowL2(0.8, 3, 8, 40)).toBe(8);
    expect(squareWindowL2(0.8, 3, 40, 8)).toBe(8);
  });

  it('builds the L2 window with unit norm, positive top and negative bottom', () => {
    const e = squareEta(5, new Rng(3));
    let ss = 0;
    for (const v of e) ss += v * v;
    expect(ss).toBeCloseTo(1, 12);
    let pos = 0;
    let neg = 0;
    for (const v of e) {
      if (v > 0) pos++;
      if (v < 0) neg++;
    }
    expect(pos + neg).toBe(25);
    expect(neg).toBeGreaterThan(pos); // bottom part has 3 of the 5 rows (or columns)
  });
});

describe('L2 Square update (square.py L2 branch)', () => {
  it('gives each channel its own window budget sqrt(max(eps^2 - ||delta||^2, 0) / c + ||delta_ch on the windows||^2)', () => {
    // Hand-worked case: c = 2, h = 1, w = 2, s = 1, window 1 at column 0, window 2 at column 1,
    // eta(1) = [-1], eps = 1, delta = [ch0: 0.6, 0 | ch1: 0, 0], signs ch0 -1, ch1 +1.
    // ||delta||^2 = 0.36, free budget per channel (1 - 0.36) / 2 = 0.32.
    // ch0: window norm^2 0.36 -> budget sqrt(0.68); new window = -1 * -1 + 0.6 / 0.6 = 2 -> +sqrt(0.68).
    // ch1: window norm^2 0    -> budget sqrt(0.32); new window = -1 * +1 + 0 = -1   -> -sqrt(0.32).
    // Column 1 zeroed; ||delta||^2 = 0.68 + 0.32 = 1 = eps^2, so the final rescale leaves it.
    // (Summing the window norms over channels, as before the fix, gives ch1 -sqrt(0.68) instead.)
    const delta = Float64Array.from([0.6, 0, 0, 0]);
    squareL2Update(
      delta,
      [2, 1, 2],
      1,
      { s: 1, vh: 0, vw: 0, vh2: 0, vw2: 1 },
      Float64Array.from([-1]),
      [-1, 1],
    );
    expect(delta[0]).toBeCloseTo(Math.sqrt(0.68), 10);
    expect(delta[1]).toBe(0);
    expect(delta[2]).toBeCloseTo(-Math.sqrt(0.32), 10);
    expect(delta[3]).toBe(0);
  });

  it('runs on non-square inputs: every point finite, in [0, 1] and within eps', async () => {
    for (const shape of [
      [3, 8, 40],
      [3, 40, 8],
    ] as const) {
      const model = centredLinearModel(3, shape, 5);
      const n = 6;
      const d = 3 * 8 * 40;
      const rng = new Rng(2);
      const x = new Float32Array(n * d);
      for (let i = 0; i < x.length; i++) x[i] = 0.2 + 0.6 * rng.uniform();
      const y = argmaxRows(await model.logits(x, n), n, 3);
      const eps = 0.5;
      const r = await squarePerturb(
        model,
        x,
        y,
        n,
        { norm: 'L2', eps, ...SQUARE_DEFAULTS, nQueries: 60 },
        { seed: 1 },
      );
      for (const v of r.xAdv) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v >= 0 && v <= 1).toBe(true);
      }
      for (let s = 0; s < n; s++) expect(diffNorm('L2', r.xAdv, s, x, s, d)).toBeLessThanOrEqual(eps + 1e-6);
    }
  });
});

describe('Square rewrite keeps every output bit', () => {
  // The per-query work changes only the window of the still-robust rows in place (no gather of
  // x_best per query, margins into a reused array). Golden hashes of squareSingleRun's x_best and of
  // the forward count, recorded with the previous implementation (commit 22c9f91, which gathered
  // x_best every query) on a linear model where some points are fooled part-way (the active set
  // shrinks) and others stay robust to the end (every query rejected or accepted without fooling).
  // The Rng's state after the run, and the case that ends early (every point fooled at eps 0.04
  // within 3,000 queries), were recorded at commit d1b4cc7, which drew each Linf query's window and signs
  // as the query came; a Linf run now takes them from a table drawn ahead (squareLinfDraws) and sets
  // the Rng back to where the queries it made leave it.
  const golden = {
    'Linf 400': {
      hash: '80e3ae903e4e53b8',
      forwards: 2827,
      fooled: 10,
      rng: [304983005, 2282576856, 2999530337, 3644160265],
    },
    'L2 400': {
      hash: 'd31487626ca474be',
      forwards: 2954,
      fooled: 10,
      rng: [3605706761, 3562574433, 136230475, 1679544351],
    },
    'Linf 3000': {
      hash: 'f1cf4c0d77f348ae',
      forwards: 2159,
      fooled: 16,
      rng: [3154969184, 922038563, 807882414, 14483502],
    },
  } as const;
  const n = 16;
  const d = 3 * 8 * 8;
  const setUp = async (norm: 'Linf' | 'L2', nQueries: number) => {
    const model = centredLinearModel(10, [3, 8, 8], 11);
    const r0 = new Rng(4);
    const x = new Float32Array(n * d);
    for (let i = 0; i < x.length; i++) x[i] = r0.uniform();
    const y = argmaxRows(await model.logits(x, n), n, 10);
    const eps = norm === 'L2' ? 0.25 : nQueries === 3000 ? 0.04 : 0.02;
    return { model, x, y, opts: { norm, eps, ...SQUARE_DEFAULTS, nQueries } };
  };
  const outcome = async (
    model: Classifier,
    run: { xBest: Float32Array; forwards: number },
    y: Int32Array,
    rng: Rng,
  ) => {
    const pred = argmaxRows(await model.logits(run.xBest, n), n, 10);
    return {
      hash: createHash('sha256').update(new Uint8Array(run.xBest.buffer)).digest('hex').slice(0, 16),
      forwards: run.forwards,
      fooled: pred.filter((p, s) => p !== y[s]).length,
      rng: [...rng.state().s],
    };
  };
  for (const key of Object.keys(golden) as (keyof typeof golden)[]) {
    const [norm, queries] = key.split(' ') as ['Linf' | 'L2', string];
    it(`${key}: x_best, forwards, fooled points and the Rng after the run equal the previous implementation's`, async () => {
      const { model, x, y, opts } = await setUp(norm, Number(queries));
      const rng = new Rng(0);
      const got = await outcome(model, await squareSingleRun(model, x, y, n, opts, rng), y, rng);
      expect(got).toEqual(golden[key]);
    });
  }

  // A classifier that offers squareShared, emulating two shares in one thread: each span's rows are
  // cut in two, each half runs the span alone on copies of its state (as a worker would), and the
  // halves are put back. The outcome must be the one-batch run's, bit for bit.
  class TwoShares implements Classifier, SquareRowSharing {
    readonly spans: string[] = [];
    constructor(private readonly inner: Classifier) {}
    get inputShape() {
      return this.inner.inputShape;
    }
    get numClasses() {
      return this.inner.numClasses;
    }
    logits(x: Float32Array, m: number) {
      return this.inner.logits(x, m);
    }
    lossGrad(...args: Parameters<Classifier['lossGrad']>) {
      return this.inner.lossGrad(...args);
    }
    async squareShared(
      x: Float32Array,
      y: Int32Array,
      m: number,
      opts: SquareOptions,
      st: SquareState,
      draws: Int32Array,
      from: number,
      to: number,
    ): Promise<SquareSpanResult | undefined> {
      if (m < 2) return undefined;
      const half = Math.ceil(m / 2);
      let forwards = 0;
      let end = from;
      for (const [a, b] of [
        [0, half],
        [half, m],
      ] as const) {
        const part: SquareState = {
          xBest: st.xBest.slice(a * d, b * d),
          marginMin: st.marginMin.slice(a, b),
          lossMin: st.lossMin.slice(a, b),
        };
        const r = await squareQueries(
          this.inner,
          x.slice(a * d, b * d),
          y.slice(a, b),
          b - a,
          opts,
          part,
          draws.slice(),
          from,
          to,
        );
        st.xBest.set(part.xBest, a * d);
        st.marginMin.set(part.marginMin, a);
        st.lossMin.set(part.lossMin, a);
        forwards += r.forwards;
        end = Math.max(end, r.end);
      }
      this.spans.push(`${from}-${to}: ${half}+${m - half}`);
      return { forwards, end };
    }
  }
  for (const key of ['Linf 400', 'Linf 3000'] as const) {
    it(`${key}: a run on (emulated) shares of its rows, span by span, gives the same outcome and Rng`, async () => {
      const { model, x, y, opts } = await setUp('Linf', Number(key.split(' ')[1]));
      const shares = new TwoShares(model);
      const rng = new Rng(0);
      const got = await outcome(model, await squareSingleRun(shares, x, y, n, opts, rng), y, rng);
      expect(got).toEqual(golden[key]);
      // the spans were shared, the still-robust rows dealt out anew as points were fooled; the
      // 3,000-query run ends inside a shared span (recorded with spans of 100 queries)
      expect(SQUARE_SHARE_SPAN).toBe(100);
      expect(shares.spans).toEqual(
        key === 'Linf 400'
          ? ['0-100: 7+7', '100-200: 4+3', '200-300: 4+3', '300-400: 3+3']
          : ['0-100: 5+5', '100-200: 3+3', '200-300: 3+2', '300-400: 1+1', '400-500: 1+1', '500-600: 1+1'],
      );
      // and not with row shares switched off
      const off = new TwoShares(model);
      const rngOff = new Rng(0);
      const gotOff = await outcome(
        model,
        await squareSingleRun(off, x, y, n, opts, rngOff, undefined, { rowShares: false }),
        y,
        rngOff,
      );
      expect(off.spans).toEqual([]);
      expect(gotOff).toEqual(golden[key]);
    });
  }

  it('an L2 run is not split (its signs are drawn per still-robust row)', async () => {
    const { model, x, y, opts } = await setUp('L2', 400);
    const shares = new TwoShares(model);
    const rng = new Rng(0);
    const got = await outcome(model, await squareSingleRun(shares, x, y, n, opts, rng), y, rng);
    expect(shares.spans).toEqual([]);
    expect(got).toEqual(golden['L2 400']);
  });
});
