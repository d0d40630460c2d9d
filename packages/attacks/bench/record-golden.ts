/**
 * Records the golden AutoAttack results that src/golden.test.ts asserts: per-stage robust accuracy
 * and per-image robust flags of the bundle's CIFAR ResNet-20 models on the first `perClass` test
 * images of each class (sorted file names; 10 per class is the bundle's 100-image protocol), Linf,
 * version 'standard', seed 0, attack batch and onnxruntime batch 32 (the CLI's defaults).
 *
 *   ALIGNSCOPE_DATA_DIR=/work/shared/data npx tsx packages/attacks/bench/record-golden.ts [perClass]
 *
 * Writes packages/attacks/golden/<model>-<eps>-<n>.json. Run only to re-record on purpose: the
 * files pin the results of the code that made them (the commit is written into each file).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAutoAttack } from '../src/autoattack.ts';
import { OnnxClassifier } from '../src/onnx.ts';
import { cifarImages, modelPath } from './data.ts';

export const GOLDEN_CASES = [
  { model: 'cifar10_resnet20', epsLabel: '0.5/255', eps: 0.5 / 255 },
  { model: 'cifar10_resnet20_at8', epsLabel: '8/255', eps: 8 / 255 },
] as const;

export function goldenFile(model: string, epsLabel: string, n: number): string {
  return path.join(
    import.meta.dirname,
    '../golden',
    `${model}-linf-${epsLabel.replace('/', 'over')}-${n}.json`,
  );
}

async function main() {
  const perClass = Number(process.argv[2] ?? 10);
  const imgs = await cifarImages(perClass);
  const n = imgs.y.length;
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync(
    'git',
    ['status', '--porcelain', '--', 'packages/attacks/src', 'packages/onnx-grad/src'],
    {
      encoding: 'utf8',
      cwd: path.join(import.meta.dirname, '../../..'),
    },
  ).trim();
  for (const c of GOLDEN_CASES) {
    const clf = await OnnxClassifier.open(readFileSync(modelPath(c.model)), {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 32,
    });
    const t0 = performance.now();
    const r = await runAutoAttack(clf, imgs.x, imgs.y, {
      norm: 'Linf',
      eps: c.eps,
      version: 'standard',
      seed: 0,
      batchSize: 32,
      keepAdversarial: false,
    });
    await clf.release();
    const out = {
      source: `packages/attacks/bench/record-golden.ts ${perClass} at commit ${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
      model: c.model,
      norm: 'Linf',
      eps: c.epsLabel,
      version: 'standard',
      seed: 0,
      batchSize: 32,
      images: imgs.files.map((f) => path.relative(path.join(path.dirname(f), '../..'), f)),
      cleanAccuracy: r.cleanAccuracy,
      stages: r.stages.map((s) => ({ attack: s.attack, robustAccuracy: s.robustAccuracy })),
      robustAccuracy: r.robustAccuracy,
      cleanFlags: r.cleanFlags.map(Number).join(''),
      robustFlags: r.robustFlags.map(Number).join(''),
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
    const file = goldenFile(c.model, c.epsLabel, n);
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    process.stderr.write(`${file}: ${JSON.stringify(out.stages)} in ${out.seconds} s\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
