import { graph } from '@alignscope/onnx-grad';
import { afterEach, describe, expect, it } from 'vitest';
import { EXACT_SIZE_AFTER, INVARIANCE_PROBE_SAMPLES, invarianceProbe, OnnxClassifier } from './onnx.ts';
import { Rng } from './rng.ts';

// Shares of a batch (onnx-shards.ts) and gradient graphs of the exact batch size (EXACT_SIZE_AFTER)
// keep results only where a sample's bits do not depend on its batch. That holds for the bundled
// models (their ops work a sample, or a row, at a time; onnx-shards.test.ts), not for every model:
// onnxruntime sums a row with kernels whose rounding follows the row's place in memory (session 9's
// measurements, packages/onnx-grad README), and the gradient rules of Softmax and LogSoftmax sum over
// the classes. The check at open must find that and fall back to one share and padded sizes only.

/** A small CIFAR-shaped classifier (conv, ReLU, linear) ending in `head` over its 10 outputs. */
function smallModel(head: 'LogSoftmax' | 'Softmax' | 'Identity'): Uint8Array {
  const rng = new Rng(5);
  const k = 10;
  const b = graph({ opset: 13 })
    .input('x', ['N', 3, 32, 32])
    .init(
      'w',
      [8, 3, 3, 3],
      Float32Array.from({ length: 8 * 27 }, () => rng.normal() * 0.3),
    )
    .init(
      'fc',
      [8 * 16 * 16, k],
      Float32Array.from({ length: 8 * 256 * k }, () => rng.normal() * 0.05),
    )
    .node('Conv', ['x', 'w'], 'c', { pads: [1, 1, 1, 1], strides: [2, 2] })
    .node('Relu', ['c'], 'r')
    .node('Flatten', ['r'], 'f')
    .node('MatMul', ['f', 'fc'], 'z');
  const out =
    head === 'Identity' ? b.node('Identity', ['z'], 'out') : b.node(head, ['z'], 'out', { axis: 1 });
  return out.output('out').build();
}

const opts = { inputShape: [3, 32, 32], numClasses: 10, batchSize: 16, intraOpNumThreads: 2 } as const;
const d = 3 * 32 * 32;
const opened: OnnxClassifier[] = [];
async function open(
  head: Parameters<typeof smallModel>[0],
  extra: Partial<Parameters<typeof OnnxClassifier.open>[1]> = {},
): Promise<OnnxClassifier> {
  const clf = await OnnxClassifier.open(smallModel(head), { ...opts, ...extra });
  opened.push(clf);
  return clf;
}
afterEach(async () => {
  for (const c of opened.splice(0)) await c.release();
});

describe('the check of batch invariance at open', () => {
  it('passes on a model that works a sample at a time: two shares, with the probe recorded', async () => {
    const clf = await open('Identity');
    expect(clf.gradientOptimization.level).toBe('all');
    expect(clf.batchInvariance).toEqual({
      invariant: true,
      reason: `checked: ${INVARIANCE_PROBE_SAMPLES} probe samples got their bits alone in one batch of ${INVARIANCE_PROBE_SAMPLES} and in 2 shares of a batch of ${INVARIANCE_PROBE_SAMPLES} (one thread each) (logits; 'ce' logits, loss, gradient)`,
    });
    expect(clf.sharding.shards).toBe(2);
    // the counters start at zero: the probe's calls are not an attack's
    expect(clf.timings.gradientCalls).toBe(0);
    expect(clf.timings.forwardCalls).toBe(0);
  });

  it.each(['LogSoftmax', 'Softmax'] as const)(
    'finds that a model ending in %s gives a sample other gradient bits in a batch: one share, padded sizes only',
    async (head) => {
      const clf = await open(head);
      expect(clf.gradientOptimization.level).toBe('all');
      expect(clf.batchInvariance.invariant).toBe(false);
      expect(clf.batchInvariance.reason).toMatch(
        /^checked: probe sample \d's 'ce' gradient in one batch of 7 differs from its 'ce' gradient alone/,
      );
      expect(clf.sharding).toEqual({
        shards: 1,
        threadsPerShard: 2,
        reason: "a sample's results depend on its batch here (see batchInvariance)",
      });
      // the probe's finding is real: the same samples alone and in one batch, through the public calls
      const { x, y } = invarianceProbe(opts.inputShape, 10, INVARIANCE_PROBE_SAMPLES);
      const whole = await clf.lossGrad(x, INVARIANCE_PROBE_SAMPLES, 'ce', y);
      let differ = 0;
      for (let i = 0; i < INVARIANCE_PROBE_SAMPLES; i++) {
        const alone = await clf.lossGrad(x.subarray(i * d, (i + 1) * d), 1, 'ce', y.subarray(i, i + 1));
        const a = Buffer.from(alone.grad.buffer, alone.grad.byteOffset, alone.grad.byteLength);
        const w = whole.grad.subarray(i * d, (i + 1) * d);
        if (!a.equals(Buffer.from(w.buffer, w.byteOffset, w.byteLength))) differ++;
      }
      expect(differ).toBeGreaterThan(0);
    },
  );

  it('keeps padded batch sizes where a sample depends on its batch (no graph of the exact size after EXACT_SIZE_AFTER calls)', async () => {
    const clf = await open('LogSoftmax');
    const m = 9; // padded to 10
    const rng = new Rng(3);
    const x = Float32Array.from({ length: m * d }, () => rng.uniform());
    const y = Int32Array.from({ length: m }, (_, i) => i % 10);
    const first = await clf.lossGrad(x, m, 'ce', y);
    for (let call = 2; call <= EXACT_SIZE_AFTER + 2; call++) {
      const before = clf.timings.gradientPaddedSamples;
      const r = await clf.lossGrad(x, m, 'ce', y);
      expect(clf.timings.gradientPaddedSamples - before, `call ${call}`).toBe(10);
      if (call > EXACT_SIZE_AFTER) {
        expect(Buffer.from(r.grad.buffer, r.grad.byteOffset, r.grad.byteLength)).toEqual(
          Buffer.from(first.grad.buffer, first.grad.byteOffset, first.grad.byteLength),
        );
      }
    }
  });

  it('refuses shares asked for by number on such a model, saying why', async () => {
    await expect(OnnxClassifier.open(smallModel('LogSoftmax'), { ...opts, shards: 2 })).rejects.toThrow(
      /^shards 2: checked: probe sample \d's 'ce' gradient in one batch of 7 differs .*; shares need results that do not$/,
    );
  });

  it("takes invariance as given with batchInvariance 'assume' (the shares' own classifiers)", async () => {
    const clf = await open('LogSoftmax', { batchInvariance: 'assume' });
    expect(clf.batchInvariance).toEqual({ invariant: true, reason: "assumed (batchInvariance 'assume')" });
    expect(clf.sharding.shards).toBe(2);
  });

  it("relies on none at level 'extended': no probe, no shares", async () => {
    const clf = await open('Identity', { gradientOptimization: 'extended' });
    expect(clf.batchInvariance.invariant).toBe(false);
    expect(clf.batchInvariance.reason).toMatch(/^not relied on: gradient graphs at 'extended'/);
    expect(clf.sharding.shards).toBe(1);
  });
});

describe('invarianceProbe', () => {
  it('gives n distinct samples in [0, 1] with labels 0, 1, 2, ... mod the class count', () => {
    const { x, y } = invarianceProbe([3, 4, 4], 3, 5);
    expect(x.length).toBe(5 * 48);
    expect([...y]).toEqual([0, 1, 2, 0, 1]);
    expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
    const rows = new Set(Array.from({ length: 5 }, (_, i) => x.subarray(i * 48, (i + 1) * 48).join(',')));
    expect(rows.size).toBe(5);
  });
});
