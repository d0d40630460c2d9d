/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018), seeded through splitmix32 as its authors recommend. 32-bit integer arithmetic only,
 * so the stream is identical on every platform.
 */

export type Rng = {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform integer in [0, n) (n < 2^32), by multiply-shift on 32 bits. */
  nextInt(n: number): number;
  /** A uniform double in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
};

/** FNV-1a hash of a string (32 bits): mixes a label (e.g. a benchmark identifier) into a seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A generator for `seed` (an integer; its low 32 bits and the rest above them are both used) and an optional stream label. */
export function createRng(seed: number, stream = ''): Rng {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const hi = Math.floor(seed / 2 ** 32) | 0;
  const st = { s: ((seed >>> 0) ^ Math.imul(hi, 0x9e3779b1) ^ hashString(stream)) | 0 };
  return xoshiro128ss(splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st));
}

/** xoshiro128** from an explicit 128-bit state (not all zero). */
export function xoshiro128ss(a0: number, b0: number, c0: number, d0: number): Rng {
  let a = a0 | 0;
  let b = b0 | 0;
  let c = c0 | 0;
  let d = d0 | 0;
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result >>> 0;
  };
  return {
    nextUint32,
    nextInt: (n) => Math.floor((nextUint32() * n) / 2 ** 32),
    nextFloat: () => nextUint32() / 2 ** 32,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
