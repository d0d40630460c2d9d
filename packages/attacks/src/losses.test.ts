import { describe, expect, it } from 'vitest';
import { classAtRank, lossAndLogitGrad, margin } from './losses.ts';
import type { LossName } from './types.ts';

describe('attack losses', () => {
  it('match hand-computed values', () => {
    // CE of equal logits over 2 classes = ln 2
    expect(lossAndLogitGrad('ce', [0, 0], 0, 2, 0, undefined)).toBeCloseTo(Math.LN2, 12);
    // DLR, z = [3, 1, 2, 0], y = 0: sorted 3,2,1,0; o = class 2 (z=2); -(3-2)/(3-1) = -0.5
    expect(lossAndLogitGrad('dlr', [3, 1, 2, 0], 0, 4, 0, undefined)).toBeCloseTo(-0.5, 10);
    // y not the top class: z = [1, 3, 2, 0], y = 0: o = pi1 = 1; -(1-3)/(3-1) = 1
    expect(lossAndLogitGrad('dlr', [1, 3, 2, 0], 0, 4, 0, undefined)).toBeCloseTo(1, 10);
    // targeted DLR, z = [4, 3, 2, 1, 0], y = 0, t = 1: -(4-3)/(4 - (2+1)/2) = -1/2.5
    expect(lossAndLogitGrad('dlr-targeted', [4, 3, 2, 1, 0], 0, 5, 0, 1)).toBeCloseTo(-0.4, 10);
    expect(lossAndLogitGrad('logit-diff', [4, 3, 2], 0, 3, 0, 2)).toBe(-2);
    expect(margin([4, 3, 5], 0, 3, 0)).toBe(-1);
    expect(classAtRank([0.1, 0.9, 0.5, 0.7], 0, 4, 2)).toBe(3);
  });

  it('logit gradients agree with central differences', () => {
    const z = [0.3, -1.2, 2.1, 0.8, 1.7, -0.4];
    const cases: [LossName, number, number | undefined][] = [
      ['ce', 2, undefined],
      ['dlr', 2, undefined],
      ['dlr', 0, undefined],
      ['dlr-targeted', 2, 4],
      ['dlr-targeted', 4, 0],
      ['logit-diff', 1, 3],
    ];
    for (const [loss, y, t] of cases) {
      const g = new Float64Array(z.length);
      lossAndLogitGrad(loss, z, 0, z.length, y, t, g);
      for (let j = 0; j < z.length; j++) {
        const h = 1e-6;
        const zp = [...z];
        const zm = [...z];
        zp[j] = (zp[j] as number) + h;
        zm[j] = (zm[j] as number) - h;
        const fd =
          (lossAndLogitGrad(loss, zp, 0, z.length, y, t) - lossAndLogitGrad(loss, zm, 0, z.length, y, t)) /
          (2 * h);
        expect(g[j], `${loss} y=${y} t=${t} j=${j}`).toBeCloseTo(fd, 6);
      }
    }
  });
});
