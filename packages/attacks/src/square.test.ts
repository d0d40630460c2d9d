import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { roundHalfEven, squareEta, squarePSelection, squareWindowL2, squareWindowLinf } from './square.ts';

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
