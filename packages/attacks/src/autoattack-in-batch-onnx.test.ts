/**
 * In-batch checkpoints (issue 12) on the bundled ONNX ResNet-20: AutoAttack's APGD-T (torchattacks
 * profile: 9 targets x 10 steps) on the first CIFAR-10 test image of each class at Linf 0.5/255, in
 * batches of 4, checkpointing at every target-group boundary. Resumed from each in-batch
 * checkpoint, the run ends with the uninterrupted flags, norms, robust accuracy and counters. FAB-T
 * (no RNG) is left to the MLP tests (src/autoattack-in-batch.test.ts) to keep this file short. The expected values are the uninterrupted run's (the property under test is the
 * equality); per-sample results do not depend on the batch at the gradient level 'all' that
 * OnnxClassifier's check picks for this model (src/onnx.test.ts), which the driver's early check of
 * the fooled points relies on.
 */
import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifarImages, type Images, modelPath } from '../bench/data.ts';
import {
  type AutoAttackCheckpoint,
  type AutoAttackOptions,
  type AutoAttackResult,
  runAutoAttack,
} from './autoattack.ts';
import { OnnxClassifier } from './onnx.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'cifar10/classes.txt'],
  'in-batch checkpoints on the ONNX ResNet-20',
);

const comparable = (r: AutoAttackResult) => ({
  robustFlags: r.robustFlags,
  perturbationNorms: r.perturbationNorms,
  stages: r.stages.map((s) => ({ ...s, seconds: 0 })),
  warnings: r.warnings,
});

describe.skipIf(bundle.missing)('in-batch checkpoints on the ONNX ResNet-20', () => {
  let imgs: Images;
  let clf: OnnxClassifier;
  beforeAll(async () => {
    imgs = await cifarImages(1);
    clf = await OnnxClassifier.open(readFileSync(modelPath('cifar10_resnet20')), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 32,
    });
  }, 120_000);
  afterAll(async () => {
    await clf?.release();
  });

  it('Linf 0.5/255, torchattacks: APGD-T resumed from every in-batch checkpoint, the same result', {
    timeout: 300_000,
  }, async () => {
    expect(clf.gradientOptimization.level).toBe('all');
    const o: AutoAttackOptions = {
      norm: 'Linf',
      eps: 0.5 / 255,
      version: 'custom',
      attacks: ['apgd-t'],
      profile: 'torchattacks',
      seed: 0,
      batchSize: 4,
      keepAdversarial: false,
      inBatchCheckpointSeconds: 0,
      gradientOptimization: clf.gradientOptimization.level,
    };
    const saved: AutoAttackCheckpoint[] = [];
    const full = await runAutoAttack(clf, imgs.x, imgs.y, {
      ...o,
      onCheckpoint: (c) => void saved.push(JSON.parse(JSON.stringify(c)) as AutoAttackCheckpoint),
    });
    const inBatch = saved.filter((c) => c.inBatch);
    // informative: APGD-T fools points and leaves some robust; several checkpoints inside its
    // batches, some of them after points of their batch were fooled
    expect(full.robustAccuracy).toBeLessThan(full.cleanAccuracy);
    expect(full.robustAccuracy).toBeGreaterThan(0);
    expect(inBatch.length).toBeGreaterThanOrEqual(4);
    expect(inBatch.some((c) => c.inBatch?.acc.includes(0))).toBe(true);
    for (const c of inBatch) {
      const resumed = await runAutoAttack(clf, imgs.x, imgs.y, { ...o, resume: c });
      expect(
        comparable(resumed),
        `${c.inBatch?.attack} batch ${c.batchesDone}, ${c.inBatch?.runsDone} runs`,
      ).toEqual(comparable(full));
    }
  });
});
