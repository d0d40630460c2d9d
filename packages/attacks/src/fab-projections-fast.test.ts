/**
 * Issue 15: the radix sort and the Linf projection were restructured for speed (16-bit digits on
 * rows of 2^16 values or more, every histogram counted in the key loop, skipped constant digits,
 * fused per-coordinate loops). The previous forms are kept here, in the test only, and the new code
 * must agree with them bit for bit, on short rows (11-bit digits) and ImageNet-long rows (16-bit),
 * with ties, signed zeros, subnormals, large magnitudes and zero weights. The sort is also checked
 * against an independent definition: a comparator sort on the float32 value, ties (-0 = +0
 * included) in index order.
 */
import { describe, expect, it } from 'vitest';
import { argsortAscending, ProjectionWork, projectionLinf } from './fab-projections.ts';
import { Rng } from './rng.ts';

/** The previous argsort: 3 LSD passes of 11 bits, each with its own histogram pass. */
function argsortBefore(v: Float64Array): Uint32Array {
  const n = v.length;
  const f32 = Float32Array.from(v);
  const bits = new Uint32Array(f32.buffer);
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = bits[i] as number;
    keys[i] = b === 0x80000000 ? 0x80000000 : b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  let idx = Uint32Array.from({ length: n }, (_, i) => i);
  let keys2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const b = ((keys[i] as number) >>> shift) & 2047;
      count[b] = (count[b] as number) + 1;
    }
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = count[b] as number;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i] as number;
      const b = (k >>> shift) & 2047;
      const pos = count[b] as number;
      count[b] = pos + 1;
      keys2[pos] = k;
      idx2[pos] = idx[i] as number;
    }
    [keys, keys2] = [keys2, keys];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/** The previous projectionLinf: separate passes, the side of each coordinate in a byte array. */
function projectionLinfBefore(t: ArrayLike<number>, wIn: ArrayLike<number>, bIn: number): Float64Array {
  const n = t.length;
  const w = Float64Array.from(wIn);
  let wt = 0;
  for (let j = 0; j < n; j++) wt += (w[j] as number) * (t[j] as number);
  const sign = wt - bIn >= 0 ? 1 : -1;
  for (let j = 0; j < n; j++) w[j] = (w[j] as number) * sign;
  const bSigned = bIn * sign;
  const a = new Uint8Array(n);
  const d = new Float64Array(n);
  const p = new Float64Array(n);
  let wtS = 0;
  let b0 = 0;
  for (let j = 0; j < n; j++) {
    const wj = w[j] as number;
    const tj = t[j] as number;
    const aj = wj < 0 ? 1 : 0;
    a[j] = aj;
    d[j] = wj !== 0 ? aj - tj : 0;
    p[j] = aj - tj * (2 * aj - 1);
    wtS += wj * tj;
    b0 += wj * (d[j] as number);
  }
  const b = bSigned - wtS;
  const indp = argsortBefore(p);
  const s = new Float64Array(n);
  const sb = new Float64Array(n);
  let cs = 0;
  let csb = b0;
  for (let r = 0; r < n; r++) {
    const j = indp[n - 1 - r] as number;
    const wj = w[j] as number;
    cs += Math.abs(wj);
    csb += -wj * (d[j] as number);
    s[r] = cs;
    sb[r] = csb;
  }
  const clamp = (v: number) => (Number.isNaN(v) ? 0 : Math.max(v, 0));
  const b2 = (sb[n - 1] as number) - (s[n - 1] as number) * (p[indp[0] as number] as number);
  const cL = b - b2 > 0;
  const c2 = b - b0 > 0 && !cL;
  if (cL) {
    const lmbd = clamp((b - (sb[n - 1] as number)) / -(s[n - 1] as number));
    for (let j = 0; j < n; j++) d[j] = (2 * (a[j] as number) - 1) * lmbd;
  } else if (c2) {
    let lb = 0;
    let ub = n - 1;
    const nitermax = Math.ceil(Math.log2(n));
    for (let it = 0; it < nitermax; it++) {
      const c4 = Math.floor((lb + ub) / 2);
      const b2c = (sb[c4] as number) - (s[c4] as number) * (p[indp[n - 1 - c4] as number] as number);
      if (b - b2c > 0) lb = c4;
      else ub = c4;
    }
    const lmbd = clamp((b - (sb[lb] as number)) / -(s[lb] as number));
    for (let j = 0; j < n; j++) {
      const dj = d[j] as number;
      d[j] = a[j] ? Math.min(lmbd, dj) : Math.max(-lmbd, dj);
    }
  }
  for (let j = 0; j < n; j++) if (w[j] === 0) d[j] = 0;
  return d;
}

/** Values with many exact ties, signed zeros, subnormals, huge and negative magnitudes. */
function hardValues(rng: Rng, n: number, kind: number): Float64Array {
  const special = [0, -0, 1e-40, -1e-40, 1e30, -1e30, 0.5, 1, -1, 3.4e38, 1 / 3];
  return Float64Array.from({ length: n }, () => {
    const u = rng.uniform();
    if (kind === 0) return special[Math.floor(u * special.length)] as number;
    if (kind === 1) return Math.round(u * 255) / 255; // image values: 256 levels, many ties
    if (kind === 2)
      return u < 0.3 ? (special[Math.floor(rng.uniform() * special.length)] as number) : rng.normal();
    return (u - 0.3) * 10 ** Math.floor(rng.uniform() * 12 - 6);
  });
}

const same = (x: ArrayBufferView, y: ArrayBufferView) =>
  Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

describe('argsortAscending against its previous form and a comparator sort', () => {
  it('gives the same permutation on short and ImageNet-long rows, ties and extremes included', () => {
    const rng = new Rng(21);
    for (const n of [1, 2, 7, 3072, 65535, 65536, 150528]) {
      const work = new ProjectionWork(n);
      for (let kind = 0; kind < 4; kind++) {
        const v = hardValues(rng, n, kind);
        const got = argsortAscending(v, work);
        expect(same(got, argsortBefore(v)), `n ${n}, kind ${kind}`).toBe(true);
        if (n <= 65536) {
          // independent reference: stable comparator sort on the float32 value (-0 ties +0)
          const f = Float32Array.from(v);
          const ref = Array.from({ length: n }, (_, i) => i).sort(
            (i, j) => (f[i] as number) - (f[j] as number) || i - j,
          );
          expect(Array.from(got), `n ${n}, kind ${kind}`).toEqual(ref);
        }
      }
    }
    // constant digits are skipped: all-equal rows keep index order, as does a constant top digit
    const work = new ProjectionWork(70000);
    expect(
      same(
        argsortAscending(new Float64Array(70000).fill(0.25), work),
        argsortBefore(new Float64Array(70000).fill(0.25)),
      ),
    ).toBe(true);
    const low = Float64Array.from({ length: 70000 }, (_, i) => 1 + ((i * 7919) % 65536) * 2 ** -23);
    expect(same(argsortAscending(low, work), argsortBefore(low))).toBe(true);
  });
});

describe('projectionLinf against its previous form', () => {
  it('is bit for bit the same on reachable, out-of-reach and degenerate problems', () => {
    const rng = new Rng(5);
    for (const n of [3, 3072, 150528]) {
      const work = new ProjectionWork(n);
      const out = new Float64Array(n);
      const trials = n > 10000 ? 8 : 40;
      for (let trial = 0; trial < trials; trial++) {
        const levels = trial % 2 === 0;
        const t = Float32Array.from({ length: n }, () =>
          levels ? Math.round(rng.uniform() * 255) / 255 : rng.uniform(),
        );
        const w = Float32Array.from({ length: n }, (): number => {
          const u = rng.uniform();
          if (u < 0.1) return 0;
          if (u < 0.15) return -0;
          if (u < 0.2) return 1e-30 * (rng.uniform() - 0.5);
          if (u < 0.25) return 0.5; // ties in |w|
          return rng.normal() * 1e-3;
        });
        if (trial % 7 === 3) w.fill(0);
        let wt = 0;
        for (let j = 0; j < n; j++) wt += (w[j] as number) * (t[j] as number);
        const scale = 1e-3 * Math.sqrt(n);
        const b = [wt + scale * rng.normal(), wt + 1e6, wt - 1e6, wt, wt + 1e-9, wt - scale * 0.01][
          trial % 6
        ] as number;
        const got = projectionLinf(t, w, b, work, out);
        expect(same(got, projectionLinfBefore(t, w, b)), `n ${n}, trial ${trial}`).toBe(true);
      }
    }
  });
});
