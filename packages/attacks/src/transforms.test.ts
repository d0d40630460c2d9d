import { describe, expect, it } from 'vitest';
import { centredLinearModel } from './testing-models.ts';
import { affineInput } from './transforms.ts';

describe('affineInput', () => {
  it('maps inputs per channel and scales gradients by the chain rule (central differences)', async () => {
    const inner = centredLinearModel(4, [2, 2, 2], 3);
    const clf = affineInput(inner, [255, 2], [0, -1]);
    const x = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const y = Int32Array.from([1]);
    const r = await clf.lossGrad(x, 1, 'ce', y);
    const mapped = Float32Array.from(x, (v, j) => (j < 4 ? 255 * v : 2 * v - 1));
    expect(Array.from(await clf.logits(x, 1))).toEqual(Array.from(await inner.logits(mapped, 1)));
    for (let j = 0; j < 8; j++) {
      const h = 1e-4;
      const xp = Float32Array.from(x);
      const xm = Float32Array.from(x);
      xp[j] = (xp[j] as number) + h;
      xm[j] = (xm[j] as number) - h;
      const lp = (await clf.lossGrad(xp, 1, 'ce', y)).loss[0] as number;
      const lm = (await clf.lossGrad(xm, 1, 'ce', y)).loss[0] as number;
      const fd = (lp - lm) / (2 * h);
      expect(r.grad[j] as number).toBeCloseTo(fd, 0);
      expect(Math.abs((r.grad[j] as number) - fd)).toBeLessThan(0.02 * Math.abs(fd) + 0.05);
    }
  });
});
