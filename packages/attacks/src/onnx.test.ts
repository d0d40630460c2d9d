import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossAndLogitGrad } from './losses.ts';
import { OnnxClassifier, paddedSize } from './onnx.ts';
import type { LossName } from './types.ts';

const bundle = needsDataBundle('models/cifar10_resnet20.onnx', 'OnnxClassifier on the CIFAR ResNet-20');
const modelFile = bundle.path('models/cifar10_resnet20.onnx');

describe('paddedSize', () => {
  it('pads to the next power of two, capped at the batch size', () => {
    expect([1, 2, 3, 5, 17, 32, 33].map((m) => paddedSize(m, 32))).toEqual([1, 2, 4, 8, 32, 32, 32]);
    expect(paddedSize(20, 24)).toBe(24);
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
