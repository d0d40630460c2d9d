/**
 * Issue 15: the TypeScript time of APGD-T and FAB-T on ImageNet-sized inputs (MobileNet v1 0.25,
 * 224x224x3), torchattacks profile, Linf eps 0.001, seed 0: each attack alone (version 'custom')
 * on the first n ImageNet photos with nClasses targets - 1 target ranks. Prints per attack the wall
 * time, the time inside onnxruntime, the rest (TypeScript), the robust accuracy and a sha-256 of
 * the adversarial points, flags and norms, so that two builds can be compared for identical results.
 *
 *   ALIGNSCOPE_DATA_DIR=... npx tsx packages/attacks/bench/typescript-time.ts [n=2] [nClasses=21]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { type AttackName, runAutoAttack } from '../src/autoattack.ts';
import { OnnxClassifier } from '../src/onnx.ts';
import { imagenetImages, modelPath } from './data.ts';

const n = Number(process.argv[2] ?? 2);
const nClasses = Number(process.argv[3] ?? 21);
const imgs = await imagenetImages(n);
const clf = await OnnxClassifier.open(readFileSync(modelPath('mobilenet_v1_025_imagenet1k')), {
  inputShape: imgs.shape,
  numClasses: 1000,
  batchSize: 32,
});
const hash = (b: ArrayBufferView) =>
  createHash('sha256')
    .update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))
    .digest('hex')
    .slice(0, 16);
for (const attack of ['apgd-t', 'fab-t'] as AttackName[]) {
  const s0 = { ...clf.timings };
  const load0 = os.loadavg()[0] as number;
  const t0 = performance.now();
  const r = await runAutoAttack(clf, imgs.x, imgs.y, {
    norm: 'Linf',
    eps: 0.001,
    seed: 0,
    batchSize: 32,
    profile: 'torchattacks',
    nClasses,
    version: 'custom',
    attacks: [attack],
    keepAdversarial: true,
  });
  const wall = (performance.now() - t0) / 1000;
  const s = clf.timings;
  const onnx = (s.forwardMs - s0.forwardMs + s.gradientMs - s0.gradientMs) / 1000;
  const out = {
    attack,
    images: n,
    nClasses,
    seconds: +wall.toFixed(2),
    onnxSeconds: +onnx.toFixed(2),
    typescriptSeconds: +(wall - onnx).toFixed(2),
    load: [load0, os.loadavg()[0] as number].map((v) => +v.toFixed(1)),
    robustAccuracy: r.stages.map((st) => st.robustAccuracy),
    robustFlags: r.robustFlags.map(Number).join(''),
    norms: hash(Float64Array.from(r.perturbationNorms)),
    xAdv: hash(r.xAdv as Float32Array),
  };
  console.log(JSON.stringify(out));
}
await clf.release();
