/**
 * Where AutoAttack's time goes, stage by stage: wall time, time inside onnxruntime (forward and
 * forward+gradient calls, their number and mean batch size, padding) and the rest (TypeScript:
 * step updates, projections, gathers, copies). ResNet-20, Linf, version 'standard', seed 0,
 * batch 32, on the first `perClass` CIFAR-10 test images per class.
 *
 *   ALIGNSCOPE_DATA_DIR=... npx tsx packages/attacks/bench/profile.ts [perClass=10] [eps=0.5/255]
 */
import { readFileSync } from 'node:fs';
import { runAutoAttack } from '../src/autoattack.ts';
import { OnnxClassifier, type OnnxTimings } from '../src/onnx.ts';
import { cifarImages, modelPath } from './data.ts';

const perClass = Number(process.argv[2] ?? 10);
const epsArg = process.argv[3] ?? '0.5/255';
const [num, den] = epsArg.split('/');
const eps = Number(num) / (den === undefined ? 1 : Number(den));
const model = process.env.ALIGNSCOPE_PROFILE_MODEL ?? 'cifar10_resnet20';
const imgs = await cifarImages(perClass);
const clf = await OnnxClassifier.open(readFileSync(modelPath(model)), {
  inputShape: [3, 32, 32],
  numClasses: 10,
  batchSize: 32,
});
const snap = (): OnnxTimings => ({ ...clf.timings });
let current = 'clean';
let t0 = performance.now();
let s0 = snap();
const rows: string[] = [];
const close = (name: string) => {
  const s = snap();
  const wall = (performance.now() - t0) / 1000;
  const fMs = s.forwardMs - s0.forwardMs;
  const gMs = s.gradientMs - s0.gradientMs;
  const fc = s.forwardCalls - s0.forwardCalls;
  const gc = s.gradientCalls - s0.gradientCalls;
  const fs = s.forwardSamples - s0.forwardSamples;
  const gs = s.gradientSamples - s0.gradientSamples;
  const gp = s.gradientPaddedSamples - s0.gradientPaddedSamples;
  rows.push(
    `| ${name} | ${wall.toFixed(1)} | ${(fMs / 1000).toFixed(1)} (${fc} calls, ${(fs / Math.max(fc, 1)).toFixed(1)}/call, ${(fMs / Math.max(fs, 1)).toFixed(2)} ms/sample) | ${(gMs / 1000).toFixed(1)} (${gc} calls, ${(gs / Math.max(gc, 1)).toFixed(1)}/call, padded ${(gp / Math.max(gc, 1)).toFixed(1)}, ${(gMs / Math.max(gs, 1)).toFixed(2)} ms/sample) | ${(wall - (fMs + gMs) / 1000).toFixed(1)} |`,
  );
  t0 = performance.now();
  s0 = s;
};
const r = await runAutoAttack(clf, imgs.x, imgs.y, {
  norm: 'Linf',
  eps,
  seed: 0,
  batchSize: 32,
  keepAdversarial: false,
  onProgress: (e) => {
    if (e.attack !== current) {
      close(current);
      current = e.attack;
    }
  },
});
close(current);
await clf.release();
console.log(
  `${model}, ${imgs.y.length} images, Linf ${epsArg}: clean ${r.cleanAccuracy}, ${r.stages.map((s) => `${s.attack} ${s.robustAccuracy}`).join(', ')}; ${r.seconds.toFixed(1)} s`,
);
console.log(
  '| stage | wall s | onnxruntime forward s | onnxruntime forward+gradient s | rest (TypeScript) s |',
);
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
