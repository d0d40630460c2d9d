/**
 * Opt-in (ALIGNSCOPE_SLOW_TESTS=1, several minutes): AutoAttack on the bundle's CIFAR ResNet-20 and
 * 100 CIFAR test images (10 per class, sorted names) at Linf eps 1/255 and 8/255. Tests must not
 * need Python, so the reference implementation (fra31/auto-attack, PyTorch; `npm run bench:attack`
 * runs it side by side where Python has torch) is not used here; the evidence is independent: the
 * robust accuracy must not exceed FGSM's or a 20-step PGD's on the same images, every adversarial
 * point is re-checked by the driver, and at 8/255 a standard ResNet-20 is expected near 0 %.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cifarImages } from '../bench/data.ts';
import { runAutoAttack } from './autoattack.ts';
import { OnnxClassifier } from './onnx.ts';
import { fgsmAttack, pgdAttack } from './pgd.ts';

const data = process.env.ALIGNSCOPE_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/data');
const modelFile = path.join(data, 'models/cifar10_resnet20.onnx');
const modelPath = (name: string) => path.join(data, 'models', `${name}.onnx`);
const enabled = process.env.ALIGNSCOPE_SLOW_TESTS === '1' && existsSync(modelFile);

// Measured here (seed 0; onnxruntime 1.30 CPU), recorded in packages/attacks/README.md:
//   resnet20 8/255:    clean 82 %, FGSM 7 %,  PGD-20 0 %,  AutoAttack 0 % (APGD-CE alone 0 %)
//   resnet20 1/255:    clean 82 %, FGSM 20 %, PGD-20 4 %,  AutoAttack 4 % (each of APGD-T, FAB-T alone 4 %, Square alone 36 %)
//   resnet20_at8 8/255: clean 60 %, FGSM 31 %, PGD-20 15 %, AutoAttack 8 % (APGD-CE 11 %, APGD-T 8 %)
describe.skipIf(!enabled)('AutoAttack on CIFAR ResNet-20 models, 100 images (slow)', () => {
  for (const [model, label, eps, clean] of [
    ['cifar10_resnet20', '8/255', 8 / 255, 0.82],
    ['cifar10_resnet20', '1/255', 1 / 255, 0.82],
    ['cifar10_resnet20_at8', '8/255', 8 / 255, 0.6],
  ] as const) {
    it(`${model}: at least as strong as FGSM and PGD-20 at eps ${label}`, {
      timeout: 3_600_000,
    }, async () => {
      process.env.ALIGNSCOPE_DATA_DIR ??= data;
      const imgs = await cifarImages(10);
      const n = imgs.y.length;
      const clf = await OnnxClassifier.open(readFileSync(modelPath(model)), {
        inputShape: [3, 32, 32],
        numClasses: 10,
      });
      try {
        const aa = await runAutoAttack(clf, imgs.x, imgs.y, { norm: 'Linf', eps, seed: 0, batchSize: 32 });
        const fgsm = await fgsmAttack(clf, imgs.x, imgs.y, n, eps);
        const pgd = await pgdAttack(clf, imgs.x, imgs.y, n, {
          norm: 'Linf',
          eps,
          steps: 20,
          randomStart: true,
          seed: 0,
        });
        const acc = (u: Uint8Array) => u.reduce((a, b) => a + b, 0) / n;
        // clean accuracy on these 100 images as measured (the cards give the 1000-image figures)
        expect(aa.cleanAccuracy).toBeCloseTo(clean, 2);
        expect(aa.robustAccuracy).toBeLessThanOrEqual(acc(fgsm.robust));
        expect(aa.robustAccuracy).toBeLessThanOrEqual(acc(pgd.robust));
        // the first stage alone (APGD-CE) is not weaker than PGD-20 by more than 2 points
        expect(aa.stages[0]?.robustAccuracy ?? 0).toBeLessThanOrEqual(acc(pgd.robust) + 0.02);
        expect(aa.maxPerturbation).toBeLessThanOrEqual(eps + 1e-6);
        if (model === 'cifar10_resnet20' && label === '8/255')
          expect(aa.robustAccuracy).toBeLessThanOrEqual(0.01);
        console.log(
          `${model} eps ${label}: clean ${aa.cleanAccuracy}, AA ${aa.robustAccuracy} (${aa.stages.map((s) => `${s.attack} ${s.robustAccuracy}`).join(', ')}), FGSM ${acc(fgsm.robust)}, PGD-20 ${acc(pgd.robust)}`,
        );
      } finally {
        await clf.release();
      }
    });
  }
});
