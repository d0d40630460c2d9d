import { describe, expect, it } from 'vitest';
import { createRng, xoshiro128ss } from './random.ts';

describe('random', () => {
  it('xoshiro128** matches the reference sequence for the state (1, 2, 3, 4)', () => {
    // From the reference C code (Blackman & Vigna, prng.di.unimi.it/xoshiro128starstar.c), as in the
    // rand_xoshiro crate's test vector; recomputed with a direct Python transcription of the C code.
    const rng = xoshiro128ss(1, 2, 3, 4);
    const first = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });
  it('seeds reproducibly; streams and seeds differ; nextInt stays in range and is roughly uniform', () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(createRng(43).nextUint32()).not.toBe(seqA[0]);
    expect(createRng(42, 'folds').nextUint32()).not.toBe(seqA[0]);
    const r = createRng(7);
    const hist = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const k = r.nextInt(10);
      expect(k >= 0 && k < 10).toBe(true);
      hist[k] = (hist[k] as number) + 1;
    }
    // Each bin ~ Binomial(1e5, 0.1): sd ~ 95; 6 sd bounds.
    for (const h of hist) expect(Math.abs(h - 10_000)).toBeLessThan(600);
  });
});
