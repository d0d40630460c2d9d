/**
 * AutoAttack edge cases against fra31/auto-attack's behaviour (issue 17 item 2), each on a
 * hand-made classifier: early stopping with randomised models, the driver's final check on invalid
 * points and non-finite logits, and a gradient pass that disagrees with the verifying forward pass.
 */
import { describe, expect, it } from 'vitest';
import { attackPlan, checkAdversarial, runAutoAttack } from './autoattack.ts';
import { argmaxRows } from './losses.ts';
import type { LinearClassifier } from './models.ts';
import { Rng } from './rng.ts';
import { centredLinearModel, linearMinimalLinf } from './testing-models.ts';
import type { Classifier, LossGradResult, LossName } from './types.ts';

/** n points uniform in [0.3, 0.7]^d labelled with the model's own prediction (all correct). */
async function dataFor(model: LinearClassifier, n: number, seed: number) {
  const d = model.inputSize;
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = 0.3 + 0.4 * rng.uniform();
  const y = argmaxRows(await model.logits(x, n), n, model.numClasses);
  const dmin = Array.from({ length: n }, (_, s) =>
    linearMinimalLinf(model, x.subarray(s * d, (s + 1) * d), y[s] as number),
  );
  return { x, y, dmin };
}

/** Delegates to `inner`, with hooks on the logits of `logits()` and of `lossGrad()`. */
class Wrapped implements Classifier {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  constructor(
    private readonly inner: Classifier,
    private readonly forwardHook: (z: Float32Array, x: Float32Array, n: number) => void = () => {},
    private readonly gradHook: (z: Float32Array, y: Int32Array, n: number) => void = () => {},
  ) {
    this.inputShape = inner.inputShape;
    this.numClasses = inner.numClasses;
  }
  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    const z = Float32Array.from(await this.inner.logits(x, n));
    this.forwardHook(z, x, n);
    return z;
  }
  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    t?: Int32Array,
  ): Promise<LossGradResult> {
    const r = await this.inner.lossGrad(x, n, loss, y, t);
    const logits = Float32Array.from(r.logits);
    this.gradHook(logits, y, n);
    return { ...r, logits };
  }
}

describe('early stopping and randomised models', () => {
  const model = centredLinearModel(10, [3, 4, 4], 5);

  it("version 'rand' runs every EOT iteration on every point and records early stop off", async () => {
    const { x, y } = await dataFor(model, 4, 1);
    const plan = attackPlan('reference', 'rand', 'Linf', 0.3, 10);
    expect(plan.earlyStop.enabled).toBe(false);
    expect(plan.earlyStop.reason).toMatch(/version 'rand'/);
    expect(plan.apgd.earlyStop).toBe(false);
    // eps 0.3 fools every point at the first step; the reference still runs 1 + 100 iterations x 20 EOT draws
    const r = await runAutoAttack(model, x, y, { norm: 'Linf', eps: 0.3, version: 'rand', seed: 0 });
    expect(r.robustAccuracy).toBe(0);
    expect(r.stages[0]?.attack).toBe('apgd-ce');
    expect(r.stages[0]?.gradients).toBe(4 * 101 * 20);
    expect(r.plan.earlyStop.enabled).toBe(false);
  });

  it('turns early stop off when the randomness check fires, and records why', async () => {
    const { x, y } = await dataFor(model, 4, 2);
    const noise = new Rng(9);
    // logits vary between calls by about 1e-2 (normalised difference far above the check's 1e-4)
    const noisy = new Wrapped(model, (z) => {
      for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) + 0.01 * noise.normal();
    });
    const r = await runAutoAttack(noisy, x, y, {
      norm: 'Linf',
      eps: 0.3,
      version: 'custom',
      attacks: ['apgd-ce'],
      seed: 0,
    });
    expect(r.warnings).toContain('it seems to be a randomized defense! Please use version="rand".');
    expect(r.plan.earlyStop.enabled).toBe(false);
    expect(r.plan.earlyStop.reason).toMatch(/randomness check/);
    expect(r.plan.apgd.earlyStop).toBe(false);
    expect(r.plan.fabT.earlyStop).toBe(false);
    // 'custom' keeps the constructor's 5 restarts; all points are fooled by the first, which runs fully
    expect(r.robustAccuracy).toBe(0);
    expect(r.stages[0]?.gradients).toBe(4 * 101);
  });

  it('keeps early stop on for a deterministic model (gradients spent only until each point is fooled)', async () => {
    const { x, y } = await dataFor(model, 4, 3);
    const r = await runAutoAttack(model, x, y, {
      norm: 'Linf',
      eps: 0.3,
      version: 'custom',
      attacks: ['apgd-ce'],
      seed: 0,
    });
    expect(r.plan.earlyStop.enabled).toBe(true);
    expect(r.robustAccuracy).toBe(0);
    expect(r.stages[0]?.gradients).toBeLessThan(4 * 101);
  });
});

describe("the driver's final check", () => {
  const x = Float32Array.from([0.5, 0.5, 0.5, 0.5]);
  const wrongClass = Float32Array.from([0, 1]); // class 1, label 0
  it('accepts a finite, in-range, misclassified point within eps', () => {
    const a = Float32Array.from([0.6, 0.4, 0.5, 0.5]);
    expect(checkAdversarial('Linf', 0.1, a, x, 0, 4, wrongClass, 2, 0)).toEqual({
      broken: true,
      distance: expect.closeTo(0.1, 6),
    });
  });
  it('rejects a point with a NaN value (which the Linf eps check alone lets through)', () => {
    const a = Float32Array.from([Number.NaN, 0.5, 0.5, 0.5]);
    expect(checkAdversarial('Linf', 0.1, a, x, 0, 4, wrongClass, 2, 0)).toEqual({
      broken: false,
      reason: 'returned a point with values outside [0, 1] or not finite',
    });
  });
  it('rejects a point outside [0, 1] even when it is within eps', () => {
    const x0 = Float32Array.from([0.98, 0.02, 0.5, 0.5]);
    const a = Float32Array.from([1.05, -0.05, 0.5, 0.5]);
    expect(checkAdversarial('Linf', 0.1, a, x0, 0, 4, wrongClass, 2, 0)).toEqual({
      broken: false,
      reason: 'returned a point with values outside [0, 1] or not finite',
    });
  });
  it('never argmaxes NaN logits into class 0', () => {
    const a = Float32Array.from([0.55, 0.5, 0.5, 0.5]);
    const nanLogits = Float32Array.from([Number.NaN, Number.NaN]);
    // label 1: argmax over NaN would say class 0, i.e. "misclassified"
    expect(checkAdversarial('Linf', 0.1, a, x, 0, 4, nanLogits, 2, 1)).toEqual({
      broken: false,
      reason: 'returned a point where the model gives non-finite logits',
    });
  });

  it('counts no point broken when the model answers NaN away from the clean points', async () => {
    const model = centredLinearModel(3, [2, 3, 3], 4);
    const { x, y } = await dataFor(model, 6, 4);
    const d = 18;
    const clean = Float32Array.from(x);
    // NaN logits on every input that is not exactly one of the clean points; the gradient pass is finite
    const broken = new Wrapped(model, (z, xs, n) => {
      for (let s = 0; s < n; s++) {
        let isClean = false;
        for (let c = 0; c < 6 && !isClean; c++) {
          let same = true;
          for (let j = 0; j < d && same; j++) same = xs[s * d + j] === clean[c * d + j];
          isClean = same;
        }
        if (!isClean) z.fill(Number.NaN, s * 3, (s + 1) * 3);
      }
    });
    const r = await runAutoAttack(broken, x, y, {
      norm: 'Linf',
      eps: 0.5,
      version: 'custom',
      attacks: ['apgd-ce'],
      seed: 0,
    });
    expect(r.cleanAccuracy).toBe(1);
    expect(r.robustAccuracy).toBe(1);
    expect(r.maxPerturbation).toBe(0);
  });
});

describe('a gradient pass that disagrees with the verifying forward pass', () => {
  // Two classes, linear. The gradient pass (like ONNX's padded 'extended' graph) reports the true
  // input gradient but logits that say "misclassified" everywhere (z_y lowered by 100); the
  // verifying forward pass (`logits`, like the 'all' session) gives the true logits. The true
  // decision needs ||delta||_inf >= dmin (closed form, linearMinimalLinf).
  const model = centredLinearModel(2, [1, 4, 5], 11);
  const disagreeing = () =>
    new Wrapped(model, undefined, (z, y, n) => {
      for (let s = 0; s < n; s++) z[s * 2 + (y[s] as number)] = (z[s * 2 + (y[s] as number)] as number) - 100;
    });

  it('a point the verifying pass finds correct is never counted broken and goes on to the next stage', async () => {
    const { x, y, dmin } = await dataFor(model, 8, 5);
    const eps = Math.min(...dmin) * 0.9; // no point can truly be fooled
    const seen: number[] = [];
    const r = await runAutoAttack(disagreeing(), x, y, {
      norm: 'Linf',
      eps,
      version: 'custom',
      attacks: ['apgd-ce', 'fab-t'],
      seed: 0,
      onProgress: (e) => {
        if (e.attack === 'fab-t' && e.fraction === 0) seen.push(e.pointsTotal);
      },
    });
    expect(r.cleanAccuracy).toBe(1);
    expect(r.stages.map((s) => [s.attack, s.robustAccuracy])).toEqual([
      ['apgd-ce', 1],
      ['fab-t', 1],
    ]);
    expect(seen).toEqual([8]); // FAB-T attacked all 8 points
  });

  it('the attack keeps going on such a point and finds the true adversarial point within eps', async () => {
    const { x, y, dmin } = await dataFor(model, 8, 6);
    const eps = Math.max(...dmin) * 1.2; // every point can truly be fooled
    // Before the fix, APGD stopped at the random start (the gradient pass called it misclassified),
    // the driver's check found it correct, and every point stayed "robust" after APGD-CE.
    const r = await runAutoAttack(disagreeing(), x, y, {
      norm: 'Linf',
      eps,
      version: 'custom',
      attacks: ['apgd-ce'],
      seed: 0,
    });
    expect(r.robustAccuracy).toBe(0);
    expect(r.maxPerturbation).toBeLessThanOrEqual(eps * (1 + 1e-6));
  });
});
