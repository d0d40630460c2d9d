import { graph } from '@alignscope/onnx-grad';
import { afterEach, describe, expect, it } from 'vitest';
import { EXACT_SIZE_AFTER, INVARIANCE_PROBE_SAMPLES, invarianceProbe, OnnxClassifier } from './onnx.ts';
import { Rng } from './rng.ts';

// Shares of a batch (onnx-shards.ts) and gradient graphs of the exact batch size (EXACT_SIZE_AFTER)
// keep results only where a sample's bits do not depend on its batch. That holds for the bundled
// models (onnx-shards.test.ts), not for every model, so OnnxClassifier checks it at open and falls
// back to one share and padded sizes only. The models here are built in the test (no data bundle).

type Head = 'Identity' | 'LogSoftmax' | 'Softmax' | 'MinusBatchMean';

/**
 * A small CIFAR-shaped classifier (conv, ReLU, linear) ending in `head` over its 10 outputs.
 * 'MinusBatchMean' subtracts the batch's mean logits (as a batch-statistics layer would): a sample's
 * logits then depend on the other samples on every machine.
 */
function smallModel(head: Head): Uint8Array {
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
    head === 'Identity'
      ? b.node('Identity', ['z'], 'out')
      : head === 'MinusBatchMean'
        ? b.node('ReduceMean', ['z'], 'mean', { axes: [0], keepdims: 1 }).node('Sub', ['z', 'mean'], 'out')
        : b.node(head, ['z'], 'out', { axis: 1 });
  return out.output('out').build();
}

const opts = { inputShape: [3, 32, 32], numClasses: 10, batchSize: 16, intraOpNumThreads: 2 } as const;
const d = 3 * 32 * 32;
const n = INVARIANCE_PROBE_SAMPLES;
const opened: OnnxClassifier[] = [];
async function open(
  head: Head,
  extra: Partial<Parameters<typeof OnnxClassifier.open>[1]> = {},
): Promise<OnnxClassifier> {
  const clf = await OnnxClassifier.open(smallModel(head), { ...opts, ...extra });
  opened.push(clf);
  return clf;
}
afterEach(async () => {
  for (const c of opened.splice(0)) await c.release();
});
const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe('the check of batch invariance at open', () => {
  it('passes on a model that works a sample at a time: two shares, what was probed recorded', async () => {
    const clf = await open('Identity');
    expect(clf.gradientOptimization.level).toBe('all');
    expect(clf.batchInvariance).toEqual({
      invariant: true,
      checked: true,
      reason: `checked: ${n} probe samples got their bits alone in one call of ${n} (gradient graph of 12), in one call of ${n} at the exact size, in 2 shares of a call of ${n} (one thread each) (logits; 'ce' logits, loss, gradient)`,
    });
    expect(clf.sharding.shards).toBe(2);
    // the shares' own classifiers do not check again: this one checked them
    expect(clf.shareInvariance).toEqual([
      { invariant: true, checked: false, reason: "assumed (batchInvariance 'assume')" },
      { invariant: true, checked: false, reason: "assumed (batchInvariance 'assume')" },
    ]);
    // the counters start at zero: the probe's calls are not an attack's
    expect(clf.timings.gradientCalls).toBe(0);
    expect(clf.timings.forwardCalls).toBe(0);
  });

  it('names the chunks when batchSize is below the probe', async () => {
    const clf = await open('Identity', { batchSize: 4, shards: 1 });
    expect(clf.batchInvariance.reason).toBe(
      `checked: ${n} probe samples got their bits alone in one call of ${n} in chunks of 4 (logits; 'ce' logits, loss, gradient)`,
    );
  });

  it('finds a model whose logits mix the batch (on every machine): one share, the finding recorded', async () => {
    const clf = await open('MinusBatchMean');
    expect(clf.gradientOptimization.level).toBe('all');
    expect(clf.batchInvariance.invariant).toBe(false);
    expect(clf.batchInvariance.checked).toBe(true);
    expect(clf.batchInvariance.reason).toMatch(
      new RegExp(
        `^checked: probe sample \\d+'s logits in one call of ${n} \\(gradient graph of 12\\) differs from its logits alone$`,
      ),
    );
    expect(clf.sharding).toEqual({
      shards: 1,
      threadsPerShard: 2,
      reason: "a sample's results depend on its batch here (see batchInvariance)",
    });
    expect(clf.shareInvariance).toEqual([]);
  });

  it('keeps padded batch sizes there: no graph of the exact size after EXACT_SIZE_AFTER calls, same bits', async () => {
    const clf = await open('MinusBatchMean');
    const m = 9; // padded to 10
    const rng = new Rng(3);
    const x = Float32Array.from({ length: m * d }, () => rng.uniform());
    const y = Int32Array.from({ length: m }, (_, i) => i % 10);
    const first = await clf.lossGrad(x, m, 'ce', y);
    for (let call = 2; call <= EXACT_SIZE_AFTER + 2; call++) {
      const before = clf.timings.gradientPaddedSamples;
      const r = await clf.lossGrad(x, m, 'ce', y);
      expect(clf.timings.gradientPaddedSamples - before, `call ${call}`).toBe(10);
      if (call > EXACT_SIZE_AFTER) expect(bytes(r.grad).equals(bytes(first.grad)), `call ${call}`).toBe(true);
    }
  });

  it('refuses shares asked for by number on such a model, saying why', async () => {
    await expect(OnnxClassifier.open(smallModel('MinusBatchMean'), { ...opts, shards: 2 })).rejects.toThrow(
      /^shards 2: checked: probe sample \d+'s logits in one call of 11 \(gradient graph of 12\) differs from its logits alone; shares need a sample's results not to depend on its batch \(use shards 'auto' or 1\)$/,
    );
  });

  // onnxruntime's CPU kernels sum a row in an order that follows its place in memory (session 9), and
  // the gradient rules of Softmax and LogSoftmax sum over the classes: a model ending in either, common
  // in exported classifiers, gets other gradient bits in shares. Measured on AMD Zen 3 and Zen 4 and
  // Intel Sapphire Rapids with onnxruntime 1.30; should a later onnxruntime sum rows position-free, the
  // first expectation below fails and this test's premise (and the README's) needs revisiting.
  it.each(['LogSoftmax', 'Softmax'] as const)(
    'finds a model ending in %s batch-dependent, where taking invariance as given changes its gradients',
    async (head) => {
      const assumed = await open(head, { batchInvariance: 'assume' });
      const one = await open(head, { batchInvariance: 'assume', shards: 1 });
      expect(assumed.sharding.shards).toBe(2);
      const rng = new Rng(11);
      const m = 37;
      const x = Float32Array.from({ length: m * d }, () => rng.uniform());
      const y = Int32Array.from({ length: m }, (_, i) => i % 10);
      let differ = 0;
      for (const size of [5, 9, 26, 37]) {
        const a = await one.lossGrad(x, size, 'ce', y);
        const b = await assumed.lossGrad(x, size, 'ce', y);
        for (let i = 0; i < size; i++) {
          if (!bytes(a.grad.subarray(i * d, (i + 1) * d)).equals(bytes(b.grad.subarray(i * d, (i + 1) * d))))
            differ++;
        }
      }
      // the harm: shares gave some samples other gradient bits than one session
      expect(differ).toBeGreaterThan(0);
      // the check sees it and keeps one share
      const checked = await open(head);
      expect(checked.batchInvariance).toMatchObject({ invariant: false, checked: true });
      expect(checked.batchInvariance.reason).toMatch(/^checked: probe sample \d+'s 'ce' (gradient|loss) in /);
      expect(checked.sharding.shards).toBe(1);
    },
  );

  it("takes invariance as given with batchInvariance 'assume'", async () => {
    const clf = await open('MinusBatchMean', { batchInvariance: 'assume' });
    expect(clf.batchInvariance).toEqual({
      invariant: true,
      checked: false,
      reason: "assumed (batchInvariance 'assume')",
    });
    expect(clf.sharding.shards).toBe(2);
  });

  it("relies on none at level 'extended': no probe, no shares", async () => {
    const clf = await open('Identity', { gradientOptimization: 'extended' });
    expect(clf.batchInvariance).toMatchObject({ invariant: false, checked: false });
    expect(clf.batchInvariance.reason).toMatch(/^not relied on: gradient graphs at 'extended'/);
    expect(clf.sharding.shards).toBe(1);
  });

  it('refuses an unknown batchInvariance value', async () => {
    await expect(
      OnnxClassifier.open(smallModel('Identity'), { ...opts, batchInvariance: 'trust' as never }),
    ).rejects.toThrow("batchInvariance must be 'check' or 'assume', not trust");
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
