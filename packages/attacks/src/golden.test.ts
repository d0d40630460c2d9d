/**
 * AutoAttack results must not change when the code gets faster (issue 15): the per-stage robust
 * accuracy and the per-image clean and robust flags of the bundle's CIFAR ResNet-20 (Linf 0.5/255)
 * and its FGSM-trained `at8` variant (Linf 8/255) equal the golden files in ../golden, recorded by
 * bench/record-golden.ts with the code before the speed work (the file's `source` names the
 * commit). By default 20 images (the first 2 test images per class, about 1-3 minutes on 2 cores);
 * ALIGNSCOPE_SLOW_TESTS=1 runs the bundle's 100-image protocol (10 per class) as well.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import { describe, expect, it } from 'vitest';
import { cifarImages, modelPath } from '../bench/data.ts';
import { GOLDEN_CASES, goldenFile } from '../bench/record-golden.ts';
import { runAutoAttack } from './autoattack.ts';
import { OnnxClassifier } from './onnx.ts';

const bundle = needsDataBundle(
  [...GOLDEN_CASES.map((c) => `models/${c.model}.onnx`), 'cifar10/classes.txt'],
  'golden AutoAttack results',
);
const sizes = process.env.ALIGNSCOPE_SLOW_TESTS === '1' ? [2, 10] : [2];

type Golden = {
  cleanAccuracy: number;
  stages: { attack: string; robustAccuracy: number }[];
  robustAccuracy: number;
  cleanFlags: string;
  robustFlags: string;
  images: string[];
};

describe.skipIf(bundle.missing)(
  'AutoAttack reproduces the golden per-stage accuracies and per-image flags',
  () => {
    for (const perClass of sizes) {
      for (const c of GOLDEN_CASES) {
        it(`${c.model}, Linf ${c.epsLabel}, ${perClass * 10} images`, { timeout: 3_600_000 }, async () => {
          const golden = JSON.parse(
            readFileSync(goldenFile(c.model, c.epsLabel, perClass * 10), 'utf8'),
          ) as Golden;
          const imgs = await cifarImages(perClass);
          expect(imgs.files.map((f) => path.relative(path.join(path.dirname(f), '../..'), f))).toEqual(
            golden.images,
          );
          const clf = await OnnxClassifier.open(readFileSync(modelPath(c.model)), {
            inputShape: [3, 32, 32],
            numClasses: 10,
            batchSize: 32,
          });
          try {
            const r = await runAutoAttack(clf, imgs.x, imgs.y, {
              norm: 'Linf',
              eps: c.eps,
              version: 'standard',
              seed: 0,
              batchSize: 32,
              keepAdversarial: false,
            });
            expect(r.cleanFlags.map(Number).join('')).toBe(golden.cleanFlags);
            expect(r.stages.map((s) => ({ attack: s.attack, robustAccuracy: s.robustAccuracy }))).toEqual(
              golden.stages,
            );
            expect(r.robustFlags.map(Number).join('')).toBe(golden.robustFlags);
            expect(r.robustAccuracy).toBe(golden.robustAccuracy);
          } finally {
            await clf.release();
          }
        });
      }
    }
  },
);
