/**
 * FAB-T's per-row steps on worker threads (fab-pool.ts) give the main thread's results bit for bit:
 * the rows are independent and every thread runs the same fabStepRow on the same values. Checked on
 * random rows (Linf and L2, uneven shares, a subset of state rows as after early stopping) and on
 * the whole attack on the bundled CIFAR ResNet-20 (the expected values are those of the run on the
 * main thread alone; the property under test is the equality).
 */
import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { describe, expect, it } from 'vitest';
import { cifarImages, modelPath } from '../bench/data.ts';
import { attackPlan } from './autoattack.ts';
import { fabTargetedPerturb } from './fab.ts';
import { FabStepPool } from './fab-pool.ts';
import { type FabStepParams, FabStepWork, fabStepRow } from './fab-step.ts';
import { argmaxRows } from './losses.ts';
import { OnnxClassifier } from './onnx.ts';
import { Rng } from './rng.ts';
import { gather } from './tensor.ts';
import type { Norm } from './types.ts';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('FabStepPool', () => {
  it.each(['Linf', 'L2'] as Norm[])(
    'updates x1 exactly as fabStepRow on the main thread (%s, 2 and 3 threads)',
    async (norm) => {
      const d = 300;
      const bs = 11;
      const rng = new Rng(5);
      const im = Float32Array.from({ length: bs * d }, () => rng.uniform());
      const start = Float32Array.from(im, (v) => Math.min(1, Math.max(0, v + 0.05 * rng.normal())));
      const states = [0, 2, 3, 5, 6, 7, 10]; // rows left after early stopping
      const m = states.length;
      const grad = Float32Array.from({ length: bs * d }, () => rng.normal());
      const loss = Float32Array.from({ length: bs }, () => rng.normal());
      const params: FabStepParams = { norm, eta: 1.05, alphaMax: 0.1 };
      const expected = Float32Array.from(start);
      const work = new FabStepWork(d);
      states.forEach((s, r) => {
        fabStepRow(
          expected.subarray(s * d, (s + 1) * d),
          im.subarray(s * d, (s + 1) * d),
          grad.subarray(r * d, (r + 1) * d),
          loss[r] as number,
          params,
          work,
        );
      });
      expect(bytes(expected).equals(bytes(start))).toBe(false);
      for (const threads of [2, 3]) {
        const pool = FabStepPool.open(d, params, threads) as FabStepPool;
        expect(pool.threads).toBe(threads);
        try {
          const { x1, x0 } = pool.buffers(bs);
          x1.set(start);
          x0.set(im);
          await pool.step(grad, loss, states, m);
          expect(bytes(x1).equals(bytes(expected)), `${threads} threads`).toBe(true);
        } finally {
          await pool.close();
        }
      }
    },
  );

  it('is not opened for one thread, and refuses a step before its buffers', async () => {
    const params: FabStepParams = { norm: 'Linf', eta: 1.05, alphaMax: 0.1 };
    expect(FabStepPool.open(10, params, 1)).toBeUndefined();
    const pool = FabStepPool.open(10, params, 2) as FabStepPool;
    await expect(pool.step(new Float32Array(10), new Float32Array(1), [0], 1)).rejects.toThrow(
      /before buffers/,
    );
    await pool.close();
  });
});

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'cifar10/classes.txt'],
  'FAB-T steps on worker threads',
);

describe.skipIf(bundle.missing)('FAB-T on the CIFAR ResNet-20 with its steps on worker threads', () => {
  it.each([
    ['Linf', 0.5 / 255],
    ['L2', 0.05],
  ] as [Norm, number][])(
    'gives the main-thread run bit for bit (%s)',
    { timeout: 120_000 },
    async (norm, eps) => {
      const clf = await OnnxClassifier.open(readFileSync(modelPath('cifar10_resnet20')), {
        inputShape: [3, 32, 32],
        numClasses: 10,
        batchSize: 32,
      });
      try {
        const imgs = await cifarImages(1);
        const n = imgs.y.length;
        const pred = argmaxRows(await clf.logits(imgs.x, n), n, 10);
        const keep = [...pred.keys()].filter((s) => pred[s] === imgs.y[s]);
        const x = gather(imgs.x, 3 * 32 * 32, keep);
        const y = Int32Array.from(keep, (s) => imgs.y[s] as number);
        const plan = attackPlan('reference', 'standard', norm, eps, 10);
        const opts = { ...plan.fabT, nIter: 20 };
        const main = await fabTargetedPerturb(clf, x, y, keep.length, opts, { seed: 0, fabStepThreads: 1 });
        const pooled = await fabTargetedPerturb(clf, x, y, keep.length, opts, { seed: 0, fabStepThreads: 2 });
        expect(bytes(pooled.xAdv).equals(bytes(main.xAdv))).toBe(true);
        expect([pooled.forwards, pooled.gradients]).toEqual([main.forwards, main.gradients]);
        // informative: the attack changed some points
        expect(bytes(main.xAdv).equals(bytes(x))).toBe(false);
      } finally {
        await clf.release();
      }
    },
  );
});
