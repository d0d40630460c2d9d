import { describe, expect, it } from 'vitest';
import { ProjectionWork, projectionL2, projectionLinf } from './fab-projections.ts';
import { Rng } from './rng.ts';

const close = (a: ArrayLike<number>, b: number[], digits = 10) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, digits);
};

describe('FAB Linf projection (hand-checked cases)', () => {
  it('moves every coordinate by the same amount when the box does not bind', () => {
    // <w,t> = 1, target 0.5: each coordinate -0.25
    close(projectionLinf([0.5, 0.5], [1, 1], 0.5), [-0.25, -0.25]);
    // from below: <w,t> = 0.4, target 1 -> +0.3 each
    close(projectionLinf([0.2, 0.2], [1, 1], 1), [0.3, 0.3]);
    // mixed signs: w = (-1, 2), <w,t> = 0.5, target 0: lambda = 0.5 / 3
    close(projectionLinf([0.5, 0.5], [-1, 2], 0), [1 / 6, -1 / 6]);
  });

  it('saturates coordinates at the box and moves the others further', () => {
    // decrease of 0.4 with t1 able to move only 0.1: d = (-0.1, -0.3), Linf norm 0.3
    close(projectionLinf([0.1, 0.9], [1, 1], 0.6), [-0.1, -0.3]);
  });

  it('goes to the best box corner when the hyperplane is out of reach', () => {
    close(projectionLinf([0.5, 0.5], [1, 1], -5), [-0.5, -0.5]);
  });

  it('leaves coordinates with zero weight alone', () => {
    close(projectionLinf([0.5, 0.5], [1, 0], 0.2), [-0.3, 0]);
  });
});

describe('FAB L2 projection (hand-checked cases)', () => {
  it('moves along w when the box does not bind', () => {
    // c = <w,t> - b = 3.5 - 0.5 = 3, alpha = 3 / 25: d = -0.12 * (3, 4)
    close(projectionL2([0.5, 0.5], [3, 4], 0.5), [-0.36, -0.48]);
    close(projectionL2([0.5, 0.5], [1, 1], 0.5), [-0.25, -0.25]);
  });

  it('saturates coordinates that hit the box (KKT)', () => {
    // w = (1, 4), c = 2.3: unconstrained d2 = -0.54 < -0.5, so d2 = -0.5 (2.0 of the change) and d1 = -0.3
    close(projectionL2([0.5, 0.5], [1, 4], 0.2), [-0.3, -0.5]);
    close(projectionL2([0.1, 0.9], [1, 1], 0.6), [-0.1, -0.3]);
  });

  it('goes to the corner when out of reach, and flips orientation from the other side', () => {
    close(projectionL2([0.5, 0.5], [1, 1], -5), [-0.5, -0.5]);
    close(projectionL2([0.2, 0.2], [1, 1], 1), [0.3, 0.3]);
  });
});

/**
 * Independent oracles: the minimal-norm displacement onto <w, t + d> = b in the box is
 * Linf: d_j = -s_j min(lambda, p_j) with s = sign(w) (towards b), p_j the room to the box;
 * L2:   d_j = -min(alpha |w_j|, p_j) s_j; lambda / alpha found by bisection on the reached change.
 */
function oracle(norm: 'Linf' | 'L2', t: number[], w: number[], b: number): number[] {
  let c = -b;
  for (let j = 0; j < t.length; j++) c += (w[j] as number) * (t[j] as number);
  const dir = c >= 0 ? -1 : 1; // move <w,x> down when above b
  const need = Math.abs(c);
  // room of each coordinate in the direction that changes <w,x> by dir * sign(w_j)
  const room = t.map((tj, j) => ((w[j] as number) * dir > 0 ? 1 - tj : tj));
  const move = (lambda: number) =>
    w.map((wj, j) => {
      if (wj === 0) return 0;
      const r = room[j] as number;
      return norm === 'Linf' ? Math.min(lambda, r) : Math.min(lambda * Math.abs(wj), r);
    });
  const reached = (lambda: number) => move(lambda).reduce((s, m, j) => s + m * Math.abs(w[j] as number), 0);
  let lo = 0;
  let hi = 1e6;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (reached(mid) < need) lo = mid;
    else hi = mid;
  }
  return move(hi).map((m, j) => m * Math.sign(w[j] as number) * dir);
}

describe('FAB projections against an independent bisection oracle', () => {
  it('agree on random feasible problems', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + (trial % 37);
      const t = Array.from({ length: d }, () => rng.uniform());
      const w = Array.from({ length: d }, (): number => (rng.uniform() < 0.1 ? 0 : rng.normal()));
      if (!w.some((v) => v !== 0)) w[0] = 1;
      // a target level reachable inside the box
      const corner = t.map((): number => (rng.uniform() < 0.5 ? 0 : 1));
      const frac = rng.uniform();
      let b = 0;
      for (let j = 0; j < d; j++)
        b += (w[j] as number) * ((t[j] as number) * (1 - frac) + (corner[j] as number) * frac);
      for (const norm of ['Linf', 'L2'] as const) {
        const got = (norm === 'Linf' ? projectionLinf : projectionL2)(t, w, b);
        const want = oracle(norm, t, w, b);
        for (let j = 0; j < d; j++)
          expect(got[j], `${norm} trial ${trial} j ${j}`).toBeCloseTo(want[j] as number, 6);
        // on the hyperplane and in the box
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = (t[j] as number) + (got[j] as number);
          expect(v).toBeGreaterThanOrEqual(-1e-9);
          expect(v).toBeLessThanOrEqual(1 + 1e-9);
          s += (w[j] as number) * v;
        }
        expect(s).toBeCloseTo(b, 6);
      }
    }
  });
});

describe('argsortAscending', () => {
  it('orders negative, zero, tiny, large and tied values like a comparator sort (float32 keys, stable)', async () => {
    const { argsortAscending } = await import('./fab-projections.ts');
    const v = Float64Array.from([0.5, -1, 0, 1e12, -0, 3e-9, 0.5, -2.5, 1, 1e-40]);
    // 1e-40 is below float32's normal range but still > 0; -0 and 0 tie, as do the two 0.5s
    expect(Array.from(argsortAscending(v))).toEqual([7, 1, 2, 4, 9, 5, 0, 6, 8, 3]);
    const rng = new Rng(3);
    const r = Float64Array.from(
      { length: 5000 },
      () => (rng.uniform() - 0.3) * 10 ** Math.floor(rng.uniform() * 6),
    );
    const got = argsortAscending(r);
    for (let i = 1; i < r.length; i++) {
      expect(Math.fround(r[got[i] as number] as number)).toBeGreaterThanOrEqual(
        Math.fround(r[got[i - 1] as number] as number),
      );
    }
    expect(new Set(got).size).toBe(r.length);
  });
});

describe('projection scratch (ProjectionWork) reused across calls', () => {
  it('gives bit for bit the results of fresh arrays, whatever ran before in the same scratch', () => {
    const rng = new Rng(11);
    const d = 64;
    const work = new ProjectionWork(d);
    const out = new Float64Array(d);
    for (let trial = 0; trial < 100; trial++) {
      const t = Float32Array.from({ length: d }, () => rng.uniform());
      const w = Float32Array.from({ length: d }, (): number => (rng.uniform() < 0.1 ? 0 : rng.normal()));
      // reachable, out of reach on either side, and exactly at t (b = <w, t>)
      let wt = 0;
      for (let j = 0; j < d; j++) wt += (w[j] as number) * (t[j] as number);
      const b = [wt + rng.normal(), wt + 100, wt - 100, wt][trial % 4] as number;
      for (const project of [projectionLinf, projectionL2]) {
        const fresh = project(t, w, b);
        const reused = project(t, w, b, work, out);
        expect(reused).toBe(out);
        expect(Buffer.from(reused.buffer).equals(Buffer.from(fresh.buffer)), `trial ${trial}`).toBe(true);
      }
    }
    expect(() => projectionLinf(new Float32Array(3), new Float32Array(3), 0, work)).toThrow(/length 64/);
  });
});
