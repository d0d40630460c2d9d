import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossAndLogitGrad } from './losses.ts';
import { ExecutionProviderError, OnnxClassifier, paddedSize } from './onnx.ts';
import type { LossName } from './types.ts';

const bundle = needsDataBundle('models/cifar10_resnet20.onnx', 'OnnxClassifier on the CIFAR ResNet-20');
const modelFile = bundle.path('models/cifar10_resnet20.onnx');

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

  it('gives bit-identical per-sample results whatever the batch size of the graph', async () => {
    // the padding grid (and the attacks' shrinking active sets) rely on this
    const big = await OnnxClassifier.open(readFileSync(modelFile), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 8,
    });
    try {
      for (const loss of ['ce', 'dlr-targeted', 'logit-diff'] as LossName[]) {
        const one = await clf.lossGrad(x.subarray(0, d), 1, loss, y.subarray(0, 1), t.subarray(0, 1));
        const three = await big.lossGrad(x, n, loss, y, t); // one graph of batch 3
        expect(Buffer.from(one.grad.buffer).equals(Buffer.from(three.grad.buffer, 0, d * 4))).toBe(true);
        expect(Buffer.from(one.logits.buffer).equals(Buffer.from(three.logits.buffer, 0, 40))).toBe(true);
      }
      // the plain session (dynamic batch) likewise
      const z1 = await clf.logits(x.subarray(d, 2 * d), 1);
      const z3 = await big.logits(x, n);
      expect(Buffer.from(z1.buffer).equals(Buffer.from(z3.buffer, 40, 40))).toBe(true);
    } finally {
      await big.release();
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
