import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { LOSS_KINDS, NCHWC_AFTER, needsTarget } from '@alignscope/onnx-grad';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SAMPLES_PER_SHARD, OnnxClassifier, paddedSize } from './onnx.ts';
import { Rng } from './rng.ts';

const bundle = needsDataBundle(
  'models/cifar10_resnet20.onnx',
  'sharded OnnxClassifier on the CIFAR ResNet-20',
);
const modelFile = bundle.path('models/cifar10_resnet20.onnx');
const d = 3 * 32 * 32;
const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

// The shares of a batch run in worker threads on sessions of one thread each, so sharding changes
// both the batch a sample is in and the thread count of its session. The results must be bit for bit
// those of the classifier's own sessions (two threads, the whole batch), or AutoAttack's flags could
// move with the number of cores: checked here on every loss, on batch sizes that are padded, exact,
// split unevenly, and larger than a chunk (batchSize 16).
describe.skipIf(bundle.missing)(
  'OnnxClassifier with its batches shared among worker threads (CIFAR ResNet-20)',
  () => {
    let one: OnnxClassifier;
    let sharded: OnnxClassifier;
    const m = 37;
    const rng = new Rng(11);
    const x = Float32Array.from({ length: m * d }, () => rng.uniform());
    const y = Int32Array.from({ length: m }, (_, i) => i % 10);
    const t = Int32Array.from({ length: m }, (_, i) => (i + 1 + (i % 3)) % 10);
    beforeAll(async () => {
      const opts = {
        inputShape: [3, 32, 32],
        numClasses: 10,
        batchSize: 16,
        gradientOptimization: 'all',
        intraOpNumThreads: 2,
      } as const;
      one = await OnnxClassifier.open(readFileSync(modelFile), { ...opts, shards: 1 });
      sharded = await OnnxClassifier.open(readFileSync(modelFile), { ...opts, shards: 'auto' });
    });
    afterAll(async () => {
      await one?.release();
      await sharded?.release();
    });

    it('records one worker per intra-op thread at level all, and none when asked for one shard', () => {
      expect(sharded.sharding).toEqual({
        shards: 2,
        threadsPerShard: 1,
        reason: "2 shares for 2 intra-op threads, gradient graphs at 'all' on the CPU",
      });
      expect(one.sharding).toMatchObject({ shards: 1, reason: 'chosen (shards 1)' });
    });

    it('gives the logits of one session, bit for bit', async () => {
      for (const n of [1, 3, 4, 5, 26, 37]) {
        const a = await one.logits(x, n);
        const b = await sharded.logits(x, n);
        expect(b.length).toBe(n * 10);
        expect(bytes(b).equals(bytes(a)), `batch of ${n}`).toBe(true);
      }
    });

    it('gives the logits, losses and gradients of one session on every loss, bit for bit', async () => {
      for (const loss of LOSS_KINDS) {
        for (const n of [4, 9, 26, 37]) {
          const target = needsTarget(loss) ? t : undefined;
          const a = await one.lossGrad(x, n, loss, y, target);
          const b = await sharded.lossGrad(x, n, loss, y, target);
          for (const key of ['logits', 'loss', 'grad'] as const) {
            expect(b[key].length, `${loss} ${key} of ${n}`).toBe(a[key].length);
            expect(bytes(b[key]).equals(bytes(a[key])), `${loss} ${key} of ${n}`).toBe(true);
          }
          // informative: the gradients are not all zero
          expect(b.grad.some((v) => v !== 0)).toBe(true);
        }
      }
    });

    it("counts each share's calls and padding, on every loss", async () => {
      const before = { ...sharded.timings };
      await sharded.lossGrad(x, 26, 'dlr-targeted', y, t);
      // 13 on the main thread and 13 in the worker, each padded to 14 (the exact size comes later)
      expect(sharded.timings.gradientSamples - before.gradientSamples).toBe(26);
      expect(sharded.timings.gradientPaddedSamples - before.gradientPaddedSamples).toBe(
        2 * paddedSize(13, 16),
      );
      expect(sharded.timings.gradientCalls - before.gradientCalls).toBe(2);
      await sharded.logits(x, 37);
      // 19 + 18, each in chunks of at most 16
      expect(sharded.timings.forwardCalls - before.forwardCalls).toBe(4);
      expect(sharded.timings.forwardSamples - before.forwardSamples).toBe(37);
      // below MIN_SAMPLES_PER_SHARD per share: the classifier's own session, one call
      await sharded.logits(x, 2 * MIN_SAMPLES_PER_SHARD - 1);
      expect(sharded.timings.forwardCalls - before.forwardCalls).toBe(5);
      // 'ce' is shared like the others (its head works a row at a time: onnx-grad's loss.test.ts)
      const ce = sharded.timings.gradientCalls;
      await sharded.lossGrad(x, 12, 'ce', y);
      expect(sharded.timings.gradientCalls - ce).toBe(2);
      await sharded.lossGrad(x, 12, 'dlr', y);
      expect(sharded.timings.gradientCalls - ce).toBe(4);
    });

    it("reports the workers' NCHWc rewrites in gradientLayouts", async () => {
      // shares of 2: each share's graph is rewritten at its NCHWC_AFTER-th run
      for (let i = 0; i < NCHWC_AFTER; i++) await sharded.lossGrad(x, 4, 'logit-diff', y, t);
      const layouts = (await sharded.gradientLayouts())['logit-diff'] ?? {};
      expect(layouts['2,3,32,32']).toMatchObject({ moved: expect.any(Number) });
    });

    // What makes sharing safe, on the whole model: a sample alone gives the bits it gets at every
    // place of a batch, on every loss. (Before 2026-12-07 the CE head's ReduceSum and Log did not:
    // 2 of the first 9 samples of a batch of 26 differed from themselves alone.)
    it('gives each sample of a batch the bits it gets alone, on every loss', async () => {
      const n = 26;
      for (const loss of LOSS_KINDS) {
        const target = needsTarget(loss) ? t : undefined;
        const batch = await one.lossGrad(x, n, loss, y, target);
        let moved = 0;
        for (let s = 0; s < n; s++) {
          const alone = await one.lossGrad(
            x.subarray(s * d, (s + 1) * d),
            1,
            loss,
            y.subarray(s, s + 1),
            target?.subarray(s, s + 1),
          );
          const same =
            bytes(alone.grad).equals(bytes(batch.grad.subarray(s * d, (s + 1) * d))) &&
            Object.is(alone.loss[0], batch.loss[s]) &&
            bytes(alone.logits).equals(bytes(batch.logits.subarray(s * 10, (s + 1) * 10)));
          if (!same) moved++;
        }
        expect(moved, loss).toBe(0);
      }
    });
  },
);

describe.skipIf(bundle.missing)('the shards option', () => {
  const opts = { inputShape: [3, 32, 32], numClasses: 10, batchSize: 8 } as const;

  it("refuses shards at level 'extended' or on a count that is not a whole number, in one line", async () => {
    await expect(
      OnnxClassifier.open(readFileSync(modelFile), { ...opts, gradientOptimization: 'extended', shards: 2 }),
    ).rejects.toThrow(
      "shards 2: the gradient graphs run at level 'extended', where a sample's results can depend on its batch; shards need level 'all' on the CPU",
    );
    for (const shards of [0, 1.5, 65]) {
      await expect(
        OnnxClassifier.open(readFileSync(modelFile), { ...opts, gradientOptimization: 'all', shards }),
      ).rejects.toThrow(`shards must be 'auto' or a whole number from 1 to 64, not ${shards}`);
    }
  });

  it("shards nothing by default with one thread or at level 'extended', and says why", async () => {
    const single = await OnnxClassifier.open(readFileSync(modelFile), {
      ...opts,
      gradientOptimization: 'all',
      intraOpNumThreads: 1,
    });
    const extended = await OnnxClassifier.open(readFileSync(modelFile), {
      ...opts,
      gradientOptimization: 'extended',
      intraOpNumThreads: 2,
    });
    try {
      expect(single.sharding).toMatchObject({ shards: 1, reason: 'one intra-op thread' });
      expect(extended.sharding).toMatchObject({
        shards: 1,
        reason:
          "the gradient graphs run at level 'extended', where a sample's results can depend on its batch",
      });
    } finally {
      await single.release();
      await extended.release();
    }
  });

  it('takes three shards on two threads (one thread each), and fails cleanly after release', async () => {
    const clf = await OnnxClassifier.open(readFileSync(modelFile), {
      ...opts,
      gradientOptimization: 'all',
      intraOpNumThreads: 2,
      shards: 3,
    });
    const x = new Float32Array(9 * d).fill(0.5);
    expect(clf.sharding).toEqual({ shards: 3, threadsPerShard: 1, reason: 'chosen (shards 3)' });
    const z = await clf.logits(x, 9);
    expect(z.length).toBe(90);
    await clf.release();
    await expect(clf.logits(x, 9)).rejects.toThrow('OnnxClassifier: used after release()');
  });
});
