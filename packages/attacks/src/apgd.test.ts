import { describe, expect, it } from 'vitest';
import { apgdCheckpoints, apgdConstants, StepSizeSchedule } from './apgd.ts';

describe('APGD checkpoint schedule', () => {
  it('checks after iterations 22, 41, 57, 70, 80, 87, 93, 99 for 100 iterations', () => {
    // Croce & Hein 2020, Sec. 3.2: p = 0, .22, .41, .57, .70, .80, .87, .93, .99 (x 100)
    expect(apgdConstants(100)).toEqual({ nIter2: 22, nIterMin: 6, sizeDecr: 3 });
    expect(apgdCheckpoints(100)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    // paper recursion p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)
    const p = [0, 0.22];
    while (true) {
      const a = p.at(-1) as number;
      const b = p.at(-2) as number;
      const next = a + Math.max(a - b - 0.03, 0.06);
      if (next > 1 + 1e-9) break;
      p.push(next);
    }
    expect(p.slice(1).map((v) => Math.round(v * 100))).toEqual(apgdCheckpoints(100));
  });

  it('checks after every iteration from the second on with torchattacks 10 steps', () => {
    // n_iter_2 = max(int(2.2), 1) = 2, n_iter_min = size_decr = 1
    expect(apgdConstants(10)).toEqual({ nIter2: 2, nIterMin: 1, sizeDecr: 1 });
    expect(apgdCheckpoints(10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

/** Feeds a scripted loss sequence (one sample) and returns the step size after each iteration. */
function runScript(losses: number[], initialLoss = 0): { steps: number[]; improved: number[] } {
  const sched = new StepSizeSchedule(1, 100, 2, [initialLoss]);
  const steps: number[] = [];
  const improved: number[] = [];
  for (let i = 0; i < losses.length; i++) {
    const r = sched.record(i, [0], [losses[i] as number]);
    if (r.improved[0]) improved.push(i);
    steps.push(sched.stepSize[0] as number);
  }
  return { steps, improved };
}

describe('APGD step-size logic on scripted losses', () => {
  // 16 increases among the 21 in-window comparisons L[m] > L[m-1], m = 1..21; the 22nd comparison
  // of the first checkpoint is L[0] > L[-1], and L[-1] is Python's wrap-around to the zero-filled
  // last row of loss_steps. 16 <= 0.75 * 22 = 16.5 halves the step; 17 does not.
  const tail = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 15.5, 15, 14.5, 14, 13.5];

  it('first checkpoint compares the first loss with the wrapped-around zero (positive first loss)', () => {
    const { steps } = runScript([0.5, ...tail]);
    expect(steps.length).toBe(22);
    expect(steps[20]).toBe(2);
    expect(steps[21]).toBe(2); // 17 counted increases: no halving
  });

  it('first checkpoint with a negative first loss halves the step', () => {
    const { steps } = runScript([-0.5, ...tail], -1);
    expect(steps[20]).toBe(2);
    expect(steps[21]).toBe(1); // 16 counted increases: halved
  });

  it('halves when the best loss did not improve since an unreduced checkpoint, not after a reduction', () => {
    const losses: number[] = [];
    for (let i = 0; i <= 21; i++) losses.push(i % 2 === 0 ? 10 : 0); // oscillates: halve at i=21
    for (let i = 22; i <= 40; i++) losses.push(1 + (i - 22) * 0.1); // increasing, below best 10
    for (let i = 41; i <= 56; i++) losses.push(3 + (i - 41) * 0.1); // increasing, still below 10
    const { steps, improved } = runScript(losses, 0);
    expect(improved).toEqual([0]); // strict improvement only at the first 10
    expect(steps[21]).toBe(1); // (a) oscillation
    expect(steps[40]).toBe(1); // (b) not applicable: the step was reduced at the last checkpoint
    expect(steps[56]).toBe(0.5); // (b) applies: unreduced last time and loss_best did not improve
  });

  it('keeps the step while the loss keeps increasing and improving', () => {
    const losses = Array.from({ length: 100 }, (_, i) => i + 1);
    const { steps, improved } = runScript(losses, 0);
    expect(steps.every((s) => s === 2)).toBe(true);
    expect(improved.length).toBe(100);
  });

  it('uses strict improvement for the best loss', () => {
    const sched = new StepSizeSchedule(2, 100, 2, [1, 1]);
    const r = sched.record(0, [0, 1], [1, 1.5]);
    expect(Array.from(r.improved)).toEqual([0, 1]);
    expect(Array.from(sched.lossBest)).toEqual([1, 1.5]);
  });
});

describe('APGD kept point', () => {
  it('is the last misclassified iterate (reference), or the first one with early stopping', async () => {
    const { centredLinearModel } = await import('./testing-models.ts');
    const { apgdSingleRun, APGD_DEFAULTS } = await import('./apgd.ts');
    const { argmaxRows } = await import('./losses.ts');
    const { Rng } = await import('./rng.ts');
    const inner = centredLinearModel(3, [1, 2, 3], 2);
    const d = 6;
    // records every input the attack evaluates
    const seen: Float32Array[] = [];
    const clf = {
      inputShape: inner.inputShape,
      numClasses: 3,
      logits: (x: Float32Array, n: number) => inner.logits(x, n),
      lossGrad: (...a: Parameters<typeof inner.lossGrad>) => {
        seen.push(Float32Array.from(a[0]));
        return inner.lossGrad(...a);
      },
    };
    const x = new Float32Array(d).fill(0.45);
    const y = argmaxRows(await inner.logits(x, 1), 1, 3);
    for (const earlyStop of [false, true]) {
      seen.length = 0;
      const r = await apgdSingleRun(
        clf,
        x,
        y,
        1,
        'ce',
        { norm: 'L2', eps: 0.6, ...APGD_DEFAULTS, earlyStop },
        new Rng(1),
      );
      expect(r.acc[0]).toBe(0);
      const preds = await Promise.all(seen.map(async (s) => argmaxRows(await inner.logits(s, 1), 1, 3)[0]));
      const fooled = seen.filter((_, i) => preds[i] !== y[0]);
      const want = earlyStop ? fooled[0] : fooled.at(-1);
      // the iterates keep moving (L2 steps on the sphere), so first and last differ
      if (!earlyStop)
        expect(Array.from(fooled[0] as Float32Array)).not.toEqual(Array.from(fooled.at(-1) as Float32Array));
      expect(Array.from(r.xBestAdv)).toEqual(Array.from(want as Float32Array));
      expect(seen.length).toBe(earlyStop ? seen.indexOf(fooled[0] as Float32Array) + 1 : 101);
    }
  });
});
