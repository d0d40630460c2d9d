import { readFileSync } from 'node:fs';
import os from 'node:os';
import { needsDataBundle } from '@alignscope/config/testing';
import { createGradientSession, NCHWC_AFTER } from '@alignscope/onnx-grad';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossAndLogitGrad } from './losses.ts';
import {
  checkGradientLevel,
  compareGradients,
  EXACT_SIZE_AFTER,
  ExecutionProviderError,
  GRADIENT_LEVEL_TOLERANCE,
  type GradientLevel,
  intraOpThreads,
  OnnxClassifier,
  paddedSize,
} from './onnx.ts';
import { Rng } from './rng.ts';
import type { LossName } from './types.ts';

const bundle = needsDataBundle('models/cifar10_resnet20.onnx', 'OnnxClassifier on the CIFAR ResNet-20');
const modelFile = bundle.path('models/cifar10_resnet20.onnx');

describe('intraOpThreads', () => {
  it('gives onnxruntime every core unless a count is asked for (its own default was 1 on a 2-core VM)', () => {
    expect(intraOpThreads()).toBe(os.availableParallelism());
    expect(intraOpThreads(3)).toBe(3);
  });
});

describe('paddedSize', () => {
  it('runs up to 8 samples unpadded, then pads to a grid of four sizes per doubling, capped at the batch size', () => {
    const sizes = Array.from({ length: 40 }, (_, i) => paddedSize(i + 1, 32));
    expect([...new Set(sizes)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32]);
    expect([9, 11, 17, 21, 26, 29].map((m) => paddedSize(m, 32))).toEqual([10, 12, 20, 24, 28, 32]);
    expect(paddedSize(33, 64)).toBe(40);
    expect(paddedSize(20, 18)).toBe(18);
    for (let m = 1; m <= 64; m++) expect(paddedSize(m, 64) / m).toBeLessThan(1.25);
  });
});

describe('compareGradients (the check of optimisation level "all")', () => {
  it('is the relative L2 distance of the gradients and the largest logit difference over max(1, max |logit|)', () => {
    // hand-worked: |(0, 0.5)| / |(3, 4)| = 0.1; logits 0.5 / 4
    const a = { logits: Float32Array.of(2, -4), grad: Float32Array.of(3, 4) };
    const b = { logits: Float32Array.of(2.5, -4), grad: Float32Array.of(3, 4.5) };
    const r = compareGradients(a, b);
    expect(r.gradient).toBeCloseTo(0.1, 12);
    expect(r.logits).toBeCloseTo(0.125, 12);
    // logits below 1 in size: the difference itself; equal zero gradients: 0
    const z = { logits: Float32Array.of(0.2), grad: Float32Array.of(0, 0) };
    expect(
      compareGradients(z, { logits: Float32Array.of(0.3), grad: Float32Array.of(0, 0) }).logits,
    ).toBeCloseTo(0.1, 7);
    expect(compareGradients(z, z)).toEqual({ gradient: 0, logits: 0 });
    // a gradient where the reference has none, or NaN, fails any tolerance
    expect(compareGradients(z, { logits: z.logits, grad: Float32Array.of(0, 1e-30) }).gradient).toBe(
      Infinity,
    );
    expect(compareGradients(a, { logits: a.logits, grad: Float32Array.of(3, Number.NaN) }).gradient).toBe(
      Infinity,
    );
    expect(compareGradients(a, { logits: Float32Array.of(Number.NaN, -4), grad: a.grad }).logits).toBe(
      Infinity,
    );
  });
});

describe.skipIf(bundle.missing)('OnnxClassifier on the CIFAR ResNet-20 (onnx-grad loss graphs)', () => {
  let clf: OnnxClassifier;
  const n = 3;
  const d = 3 * 32 * 32;
  const x = new Float32Array(n * d);
  const y = Int32Array.from([3, 8, 0]);
  const t = Int32Array.from([5, 1, 9]);
  beforeAll(async () => {
    clf = await OnnxClassifier.open(readFileSync(modelFile), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 4,
    });
    // smooth deterministic images
    for (let i = 0; i < x.length; i++) x[i] = 0.5 + 0.4 * Math.sin(i * 0.013 + (i % 7));
  });
  afterAll(() => clf?.release());

  it('returns [N, classes] logits, consistent between the plain model and the gradient graph', async () => {
    const z = await clf.logits(x, n);
    const g = await clf.lossGrad(x, n, 'ce', y);
    expect(z.length).toBe(n * 10);
    for (let i = 0; i < z.length; i++) expect(g.logits[i] as number).toBeCloseTo(z[i] as number, 3);
  });

  // The padding grid and the attacks' shrinking active sets cost only time when per-sample results
  // do not depend on the graph's batch size. At 'all' (NCHWc kernels) they are bit-identical for the
  // first sample, which padding never moves (and every sample of every loss, at every place of a
  // batch: src/onnx-shards.test.ts). At
  // 'extended' they were on the 2-core Xeon this test was written on, but on the AMD EPYC (AVX2) of
  // issue 15's third round the CE gradients of batch 1 and batch 3 differ by up to 2e-6, with the
  // code before that round too; there the check is float32 closeness (1e-4 of the largest value).
  it.each(['extended', 'all'] as GradientLevel[])(
    'gives per-sample results that do not depend on the batch size of the graph (gradient graphs at %s; bit for bit at all)',
    async (level) => {
      const same = (a: Float32Array, b: Float32Array, what: string) => {
        if (level === 'all') {
          const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, a.byteLength);
          expect(bytes(a).equals(bytes(b)), what).toBe(true);
          return;
        }
        let diff = 0;
        let size = 0;
        for (let i = 0; i < a.length; i++) {
          diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
          size = Math.max(size, Math.abs(a[i] as number));
        }
        expect(diff, what).toBeLessThanOrEqual(1e-4 * size);
      };
      const open = (batchSize: number) =>
        OnnxClassifier.open(readFileSync(modelFile), {
          inputShape: [3, 32, 32],
          numClasses: 10,
          batchSize,
          gradientOptimization: level,
        });
      const small = await open(4);
      const big = await open(8);
      expect(big.gradientOptimization.level).toBe(level);
      try {
        for (const loss of ['ce', 'dlr-targeted', 'logit-diff'] as LossName[]) {
          const one = await small.lossGrad(x.subarray(0, d), 1, loss, y.subarray(0, 1), t.subarray(0, 1));
          const three = await big.lossGrad(x, n, loss, y, t); // one graph of batch 3
          same(one.grad, three.grad, `${loss} gradient`);
          same(one.logits, three.logits, `${loss} logits`);
        }
        // the plain session (dynamic batch) likewise
        const z1 = await small.logits(x.subarray(d, 2 * d), 1);
        const z3 = await big.logits(x, n);
        same(z1, z3.subarray(10, 20), 'plain logits');
      } finally {
        await big.release();
        await small.release();
      }
    },
  );

  it("checks optimisation level 'all' against 'extended' at open and records the choice", async () => {
    // clf was opened with the default 'auto'; on ResNet-20 the two levels differ by float32
    // rounding only (about 4e-7 relative L2, bench/gradient-level.ts), far inside the tolerance
    expect(clf.gradientOptimization.level).toBe('all');
    expect(clf.gradientOptimization.reason).toMatch(
      /^checked against 'extended': gradient rel\. L2 difference \S+, logits \S+ on the probe batch$/,
    );
    const ext = await OnnxClassifier.open(readFileSync(modelFile), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      gradientOptimization: 'extended',
    });
    try {
      expect(ext.gradientOptimization).toEqual({
        level: 'extended',
        reason: "chosen (gradientOptimization 'extended')",
      });
      // off the probe batch too, for the targeted losses the attacks run
      for (const loss of ['dlr-targeted', 'logit-diff'] as LossName[]) {
        const diff = compareGradients(
          await ext.lossGrad(x, n, loss, y, t),
          await clf.lossGrad(x, n, loss, y, t),
        );
        expect(diff.gradient, loss).toBeLessThan(GRADIENT_LEVEL_TOLERANCE.gradient);
        expect(diff.gradient, loss).toBeGreaterThan(0); // the levels do differ in the last places
        expect(diff.logits, loss).toBeLessThan(GRADIENT_LEVEL_TOLERANCE.logits);
      }
    } finally {
      await ext.release();
    }
    // beyond a (here zero) tolerance the check keeps 'extended' and says why
    const extended = await createGradientSession(readFileSync(modelFile), { loss: 'ce' });
    try {
      const r = await checkGradientLevel(
        readFileSync(modelFile),
        extended,
        [3, 32, 32],
        10,
        { executionProvider: 'cpu' },
        {
          gradient: 0,
          logits: 0,
        },
      );
      expect(r.session).toBeUndefined();
      expect(r.optimization.level).toBe('extended');
      expect(r.optimization.reason).toMatch(
        /^'all' differs from 'extended' beyond the tolerance \(0, 0\): gradient rel\. L2 difference [1-9]/,
      );
    } finally {
      await extended.release();
    }
  });

  it('names a provider that cannot run the model in one line, and falls back to the CPU only when asked', async () => {
    // onnxruntime-node is installed without its CUDA libraries here, so 'cuda' cannot create sessions
    const bytes = readFileSync(modelFile);
    const opts = { inputShape: [3, 32, 32], numClasses: 10, executionProvider: 'cuda' };
    const err = await OnnxClassifier.open(bytes, opts).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExecutionProviderError);
    expect((err as Error).message).toMatch(
      /^execution provider 'cuda' cannot run the model \(.+\); use 'cpu' or allow the CPU fallback$/,
    );
    expect((err as Error).message).not.toContain('\n');
    const fb = await OnnxClassifier.open(bytes, { ...opts, fallbackToCpu: true });
    try {
      expect(fb.fallbacks).toHaveLength(2);
      expect(fb.fallbacks[0]).toMatch(
        /^execution provider 'cuda' cannot run the model .*; the model runs on the CPU$/,
      );
      expect(fb.fallbacks[1]).toMatch(
        /^execution provider 'cuda' cannot run the gradient graph .*; the gradient graph runs on the CPU$/,
      );
      const g = await fb.lossGrad(x, n, 'ce', y);
      const want = await clf.lossGrad(x, n, 'ce', y);
      expect(Buffer.from(g.grad.buffer).equals(Buffer.from(want.grad.buffer))).toBe(true);
    } finally {
      await fb.release();
    }
  });

  it('computes the four losses as defined in fra31/auto-attack (checked on the returned logits)', async () => {
    for (const loss of ['ce', 'dlr', 'dlr-targeted', 'logit-diff'] as LossName[]) {
      const r = await clf.lossGrad(x, n, loss, y, t);
      for (let s = 0; s < n; s++) {
        const want = lossAndLogitGrad(loss, r.logits, s * 10, 10, y[s] as number, t[s]);
        expect(r.loss[s] as number, `${loss} sample ${s}`).toBeCloseTo(want, 4);
      }
    }
  });

  it('gives per-sample input gradients that match central differences along the gradient direction', async () => {
    for (const loss of ['ce', 'dlr-targeted'] as LossName[]) {
      const r = await clf.lossGrad(x, n, loss, y, t);
      for (let s = 0; s < n; s++) {
        const g = r.grad.subarray(s * d, (s + 1) * d);
        // direction: the gradient itself (largest signal) -> derivative = ||g||
        let gn = 0;
        for (const v of g) gn += v * v;
        gn = Math.sqrt(gn);
        const h = 1e-3;
        const xs = x.slice(s * d, (s + 1) * d);
        const xp = xs.map((v, j) => v + (h * (g[j] as number)) / gn);
        const xm = xs.map((v, j) => v - (h * (g[j] as number)) / gn);
        const ys = y.subarray(s, s + 1);
        const ts = t.subarray(s, s + 1);
        const lp = (await clf.lossGrad(xp, 1, loss, ys, ts)).loss[0] as number;
        const lm = (await clf.lossGrad(xm, 1, loss, ys, ts)).loss[0] as number;
        const fd = (lp - lm) / (2 * h);
        expect(Math.abs(fd - gn) / gn, `${loss} sample ${s}: fd ${fd} vs ${gn}`).toBeLessThan(0.05);
      }
    }
  });
});

// Issue 15: a sample count that the padding grid rounds up (9 -> 10) gets a graph of its own size after
// EXACT_SIZE_AFTER calls, and every graph run NCHWC_AFTER times gets the NCHWc rewrite; both change
// only the time, so every call's results must be bit-identical to the first one's.
describe.skipIf(bundle.missing)('gradient graphs that change during a run (CIFAR ResNet-20)', () => {
  it('pads 9 samples to 10 until EXACT_SIZE_AFTER calls, then runs 9; rewrites after NCHWC_AFTER runs; same bits', async () => {
    const d = 3 * 32 * 32;
    const m = 9;
    const rng = new Rng(3);
    const x = Float32Array.from({ length: m * d }, () => rng.uniform());
    const y = Int32Array.from({ length: m }, (_, i) => i % 10);
    const t = Int32Array.from({ length: m }, (_, i) => (i + 4) % 10);
    const clf = await OnnxClassifier.open(readFileSync(modelFile), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 16,
      gradientOptimization: 'all',
      intraOpNumThreads: 1,
    });
    const bits = (r: { logits: Float32Array; loss: Float32Array; grad: Float32Array }) =>
      [r.logits, r.loss, r.grad].map((a) =>
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
      );
    try {
      const first = bits(await clf.lossGrad(x, m, 'dlr-targeted', y, t));
      expect(clf.timings.gradientPaddedSamples).toBe(10);
      for (let call = 2; call <= EXACT_SIZE_AFTER + NCHWC_AFTER; call++) {
        const before = clf.timings.gradientPaddedSamples;
        const r = bits(await clf.lossGrad(x, m, 'dlr-targeted', y, t));
        expect(clf.timings.gradientPaddedSamples - before, `call ${call}`).toBe(
          call <= EXACT_SIZE_AFTER ? 10 : 9,
        );
        if (call % 50 === 0 || call === EXACT_SIZE_AFTER + 1) expect(r, `call ${call}`).toEqual(first);
      }
      const layouts = (await clf.gradientLayouts())['dlr-targeted'] ?? {};
      // the graph of 9 ran NCHWC_AFTER times, that of 10 fewer (EXACT_SIZE_AFTER < NCHWC_AFTER)
      expect(EXACT_SIZE_AFTER).toBeLessThan(NCHWC_AFTER);
      expect(Object.keys(layouts)).toEqual(['9,3,32,32']);
      for (const l of Object.values(layouts)) expect(l).toMatchObject({ moved: expect.any(Number) });
      expect(bits(await clf.lossGrad(x, m, 'dlr-targeted', y, t))).toEqual(first);
    } finally {
      await clf.release();
    }
  });
});

// The driver checks a batch's fooled points with a forward pass of the plain session on those points
// only (at an in-batch checkpoint and at the batch's end), and APGD-T / FAB-T take their targets from
// the logits of the whole batch: the results equal the uninterrupted run's only if a sample's logits
// do not depend on the batch it is in. The plain session is always opened at level 'all', whatever
// the gradient graphs' level; this checks it bit for bit on every batch size 1..33 and a permutation.
describe.skipIf(bundle.missing)("the plain session's logits on the CIFAR ResNet-20", () => {
  it('do not depend on the batch a sample is in (sizes 1..33 and a permutation, bit for bit)', async () => {
    const d = 3 * 32 * 32;
    const m = 33;
    const rng = new Rng(7);
    const x = new Float32Array(m * d);
    for (let i = 0; i < x.length; i++) {
      const s = Math.floor(i / d);
      x[i] = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(i * 0.011 * (1 + s / 7) + s) + 0.1 * rng.normal()));
    }
    // 'extended' gradient graphs only to skip the level check at open: the plain session is at 'all'
    const clf = await OnnxClassifier.open(readFileSync(modelFile), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 64,
      gradientOptimization: 'extended',
    });
    const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    try {
      const alone: Float32Array[] = [];
      for (let s = 0; s < m; s++) alone.push((await clf.logits(x.subarray(s * d, (s + 1) * d), 1)).slice());
      // informative: the samples' logits differ from one another
      expect(new Set(alone.map((z) => bytes(z).toString('hex'))).size).toBe(m);
      for (let size = 2; size <= m; size++) {
        const z = await clf.logits(x.subarray(0, size * d), size);
        for (let s = 0; s < size; s++) {
          expect(
            bytes(z.subarray(s * 10, (s + 1) * 10)).equals(bytes(alone[s] as Float32Array)),
            `sample ${s} in a batch of ${size}`,
          ).toBe(true);
        }
      }
      const order = Array.from({ length: m }, (_, i) => (i * 14 + 5) % m); // 14 is prime to 33
      const xp = new Float32Array(m * d);
      for (const [r, s] of order.entries()) xp.set(x.subarray(s * d, (s + 1) * d), r * d);
      const zp = await clf.logits(xp, m);
      order.forEach((s, r) => {
        expect(
          bytes(zp.subarray(r * 10, (r + 1) * 10)).equals(bytes(alone[s] as Float32Array)),
          `sample ${s} at row ${r}`,
        ).toBe(true);
      });
    } finally {
      await clf.release();
    }
  });
});
