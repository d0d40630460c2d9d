/**
 * Forward vs forward+VJP time per bundled model at batch 8 (npm run bench:grad).
 * Both are measured in the same run, with the same session options (CPU, graphOptimizationLevel
 * 'extended'): "forward" is the plain model; "fwd+VJP" the cross-entropy loss model (logits, loss and
 * d loss / dx in one run), the graph AutoAttack's APGD-CE runs. Median of timed runs after warm-up,
 * forward and fwd+VJP interleaved. `--threads N` sets intraOpNumThreads (default: ORT's choice); on
 * a loaded machine `--threads 1` gives steadier ratios. `--model NAME` runs one model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@alignscope/config';
import * as ort from 'onnxruntime-node';
import { buildLossModel } from '../src/loss.ts';
import { rng } from '../src/testing.ts';

const BATCH = 8;
const MODELS = [
  'cifar10_resnet20',
  'cifar10_resnet32',
  'cifar10_resnet44',
  'cifar10_resnet56',
  'mobilenet_v1_025_imagenet1k',
  'tiny_darknet_imagenet1k',
];

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

async function time(run: () => Promise<unknown>, minRuns: number, minMs: number): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main() {
  const dir = path.join(loadConfig().dataDir, 'models');
  if (!existsSync(dir)) {
    console.error(`no data bundle at ${dir} (set ALIGNSCOPE_DATA_DIR)`);
    process.exit(1);
  }
  const t = process.argv.indexOf('--threads');
  const threads = t >= 0 ? Number(process.argv[t + 1]) : undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    console.error('--threads needs a positive integer');
    process.exit(1);
  }
  const opts: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'extended',
    executionProviders: ['cpu'],
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
  };
  console.log(
    `onnx-grad bench: batch ${BATCH}, onnxruntime-node ${ort.env.versions.common}, CPU, 'extended', ` +
      `threads ${threads ?? 'default'}, load average ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log("model                          build ms  forward ms  fwd+VJP ms  ratio  fwd 'all' ms");
  const rows = [];
  const only = process.argv.indexOf('--model');
  const selected = only >= 0 ? MODELS.filter((m) => m === process.argv[only + 1]) : MODELS;
  for (const name of selected) {
    const file = path.join(dir, `${name}.onnx`);
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    const t0 = performance.now();
    const lossModel = await buildLossModel(bytes, { loss: 'ce', batchSize: BATCH });
    const buildMs = performance.now() - t0;
    const plain = await ort.InferenceSession.create(bytes, opts);
    // For reference only: the plain model at 'all' (NCHWc layouts), which is fine for logits but was
    // measured to change gradient graphs' results (tiny darknet: 1e-2 relative), so not used for them.
    const plainAll = await ort.InferenceSession.create(bytes, { ...opts, graphOptimizationLevel: 'all' });
    const grad = await ort.InferenceSession.create(lossModel, opts);
    const hw = name.startsWith('cifar') ? 32 : 224;
    const shape = [BATCH, 3, hw, hw];
    const r = rng(1);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: BATCH * 3 * hw * hw }, () => r()),
      shape,
    );
    const y = new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: BATCH }, (_, i) => BigInt(i)),
      [BATCH],
    );
    const inputName = plain.inputNames[0] as string;
    // Interleave so load changes on the machine affect both alike.
    const fw: number[] = [];
    const bw: number[] = [];
    const fa: number[] = [];
    for (let round = 0; round < 3; round++) {
      fw.push(await time(() => plain.run({ [inputName]: x }), 5, 300));
      fa.push(await time(() => plainAll.run({ [inputName]: x }), 5, 300));
      bw.push(await time(() => grad.run({ x, y }), 5, 300));
    }
    const f = median(fw);
    const b = median(bw);
    const all = median(fa);
    rows.push({ model: name, buildMs, forwardMs: f, forwardVjpMs: b, ratio: b / f, forwardAllMs: all });
    console.log(
      `${name.padEnd(30)} ${buildMs.toFixed(0).padStart(8)} ${f.toFixed(2).padStart(11)} ${b.toFixed(2).padStart(11)} ${(b / f).toFixed(2).padStart(6)} ${all.toFixed(2).padStart(13)}`,
    );
    await plain.release();
    await plainAll.release();
    await grad.release();
  }
  const worst = Math.max(...rows.map((r) => r.ratio));
  console.log(`worst ratio ${worst.toFixed(2)} (goal <= 3)`);
}

await main();
