/**
 * What a gradient call costs per sample against its batch size (issue 15: the sample budget of the
 * side-by-side target runs, src/side-by-side.ts): `npx tsx packages/attacks/bench/batch-size.ts
 * [model ...]`. For each bundled model, OnnxClassifier's targeted-DLR loss and gradient (APGD-T's
 * call) and the logit-difference gradient (FAB-T's) on uniform noise at batch sizes 1, 2, 4, ..., 64,
 * interleaved over rounds; printed: the median wall and process-CPU milliseconds per sample. The
 * machine is shared: read the ratios between batch sizes of one run, not the absolute numbers.
 */
import { readFileSync } from 'node:fs';
import { OnnxClassifier } from '../src/onnx.ts';
import { Rng } from '../src/rng.ts';
import type { LossName } from '../src/types.ts';
import { modelPath } from './data.ts';

const SHAPES: Record<string, [number, number, number]> = {
  mobilenet_v1_025_imagenet1k: [3, 224, 224],
  cifar10_resnet20: [3, 32, 32],
};
const BATCHES = [1, 2, 4, 8, 16, 32, 64];
const ROUNDS = Number(process.env.ALIGNSCOPE_BENCH_ROUNDS ?? 3);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const models = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(SHAPES);
for (const name of models) {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown model ${name} (known: ${Object.keys(SHAPES).join(', ')})`);
  const k = name.includes('imagenet') ? 1000 : 10;
  const clf = await OnnxClassifier.open(readFileSync(modelPath(name)), {
    inputShape: shape,
    numClasses: k,
    batchSize: 64,
  });
  const d = shape[0] * shape[1] * shape[2];
  const rng = new Rng(1);
  const max = BATCHES.at(-1) as number;
  const x = Float32Array.from({ length: max * d }, () => rng.uniform());
  const y = Int32Array.from({ length: max }, (_, i) => i % k);
  const t = Int32Array.from({ length: max }, (_, i) => (i + 1) % k);
  process.stdout.write(
    `${name} (gradient graphs '${clf.gradientOptimization.level}'), load ${(await import('node:os')).loadavg()[0]?.toFixed(1)}\n`,
  );
  for (const loss of ['dlr-targeted', 'logit-diff'] as LossName[]) {
    const wall = new Map(BATCHES.map((b) => [b, [] as number[]]));
    const cpuMs = new Map(BATCHES.map((b) => [b, [] as number[]]));
    for (const b of BATCHES)
      await clf.lossGrad(x.subarray(0, b * d), b, loss, y.subarray(0, b), t.subarray(0, b));
    for (let r = 0; r < ROUNDS; r++) {
      for (const b of BATCHES) {
        const w0 = performance.now();
        const c0 = cpu();
        await clf.lossGrad(x.subarray(0, b * d), b, loss, y.subarray(0, b), t.subarray(0, b));
        wall.get(b)?.push((performance.now() - w0) / b);
        cpuMs.get(b)?.push((cpu() - c0) / b);
      }
    }
    process.stdout.write(
      `  ${loss}: ${BATCHES.map((b) => `${b}: ${median(wall.get(b) ?? []).toFixed(2)} ms wall / ${median(cpuMs.get(b) ?? []).toFixed(2)} ms CPU`).join('; ')} (per sample)\n`,
    );
  }
  await clf.release();
}
