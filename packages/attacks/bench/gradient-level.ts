/**
 * What onnxruntime's optimisation level 'all' does to the gradient graphs (issue 15):
 * `npx tsx packages/attacks/bench/gradient-level.ts [--noise 11,12] [--photos 16] [--dump DIR] [model ...]`.
 *
 * Per bundled model and input (uniform noise from the given seeds; for the ImageNet models also the
 * first N sample photos), the VJP graph of onnx-grad (one sample, Gaussian cotangent g) runs at
 * 'extended', at 'all', and at 'all' with NchwcTransformer (the CPU provider's level-3 layout
 * transformer) switched off through `optimization.disable_specified_optimizers`. Printed: the
 * relative L2 and largest difference of dx to 'extended'. Where they differ by more than float32
 * rounding, the float64 interpreter (onnx-grad's reference64) gives one-sided derivatives of <g, f>
 * along v = the difference (normalised to max |v_i| = 1): at h = 1e-6 from each side, and at h = 1e-9.
 * When one side matches 'extended' and the other 'all', x lies within ~1e-6 of a kink of the
 * piecewise-linear network (a ReLU/Clip/LeakyRelu at its threshold, a MaxPool tie) and the two
 * levels' float32 roundings put it on different sides: both are one-sided derivatives of the
 * model, neither is a wrong gradient. `--dump DIR` writes each optimised graph and prints the op
 * counts that differ between the levels.
 *
 * `--time [BATCH]`: instead, the speed of the two levels: CPU milliseconds per sample of the
 * ResNet-20 targeted-DLR loss graph (APGD-T's) at batch BATCH (default 28), one intra-op thread (so
 * CPU time is the work, whatever the machine's load), 'extended' and 'all' interleaved, medians.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildLossModel, buildVjpModel, parseModel } from '@alignscope/onnx-grad';
import { evaluate64 } from '@alignscope/onnx-grad/reference64';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/rng.ts';
import { imagenetImages, modelPath } from './data.ts';

const MODELS: Record<string, number[]> = {
  tiny_darknet_imagenet1k: [3, 224, 224],
  mobilenet_v1_025_imagenet1k: [3, 224, 224],
  cifar10_resnet20: [3, 32, 32],
};

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('--noise') ?? '11').split(',').filter(Boolean).map(Number);
const photos = Number(arg('--photos') ?? 0);
const dump = arg('--dump');
const names = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));

type Level = { name: string; options: ort.InferenceSession.SessionOptions };
const levels = (model: string): Level[] => {
  const out = (tag: string) =>
    dump ? { optimizedModelFilePath: path.join(dump, `${model}.${tag}.onnx`) } : {};
  return [
    { name: 'extended', options: { graphOptimizationLevel: 'extended', ...out('extended') } },
    { name: 'all', options: { graphOptimizationLevel: 'all', ...out('all') } },
    {
      name: 'all without NchwcTransformer',
      options: {
        graphOptimizationLevel: 'all',
        extra: { optimization: { disable_specified_optimizers: 'NchwcTransformer' } },
        ...out('all-no-nchwc'),
      },
    },
  ];
};

function opCounts(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of parseModel(readFileSync(file)).graph?.node ?? []) {
    const k = `${n.domain ? `${n.domain}.` : ''}${n.opType}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const e = (v: number, digits = 2) => v.toExponential(digits);

async function timeLevels(batch: number) {
  const bytes = readFileSync(modelPath('cifar10_resnet20'));
  const model = await buildLossModel(bytes, { loss: 'dlr-targeted', batchSize: batch });
  const d = 3 * 32 * 32;
  const r = new Rng(1);
  const feeds = {
    x: new ort.Tensor(
      'float32',
      Float32Array.from({ length: batch * d }, () => r.uniform()),
      [batch, 3, 32, 32],
    ),
    y: new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 10)),
      [batch],
    ),
    y_target: new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: batch }, (_, i) => BigInt((i + 3) % 10)),
      [batch],
    ),
  };
  const make = (level: 'extended' | 'all') =>
    ort.InferenceSession.create(model, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
  const sessions = { extended: await make('extended'), all: await make('all') };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const times: Record<string, number[]> = { extended: [], all: [] };
  for (let rep = 0; rep < 23; rep++) {
    for (const level of ['extended', 'all'] as const) {
      const c0 = cpu();
      await sessions[level].run(feeds);
      if (rep >= 3) times[level]?.push((cpu() - c0) / batch);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
  const ext = median(times.extended ?? []);
  const all = median(times.all ?? []);
  console.info(
    `ResNet-20 targeted-DLR loss graph, batch ${batch}, 1 thread: extended ${ext.toFixed(2)} CPU ms/sample, all ${all.toFixed(2)}: ${(ext / all).toFixed(2)}x`,
  );
}

async function main() {
  const t = process.argv.indexOf('--time');
  if (t >= 0) {
    const b = Number(process.argv[t + 1]);
    await timeLevels(Number.isInteger(b) && b > 0 ? b : 28);
    return;
  }
  if (dump) mkdirSync(dump, { recursive: true });
  for (const model of names.length > 0 ? names : Object.keys(MODELS)) {
    const sample = MODELS[model];
    if (!sample) throw new Error(`unknown model ${model}`);
    const shape = [1, ...sample];
    const n = sample.reduce((a, b) => a * b, 1);
    const bytes = readFileSync(modelPath(model));
    const proto = parseModel(bytes);
    const vjp = await buildVjpModel(bytes, { batchSize: 1 });
    const k = vjp.outputShape.reduce((a, b) => a * b, 1);
    const sessions = await Promise.all(
      levels(model).map(async (lv) => ({
        name: lv.name,
        s: await ort.InferenceSession.create(vjp.model, lv.options),
      })),
    );
    const inputs: { label: string; x: Float32Array }[] = seeds.map((seed) => {
      const r = new Rng(seed);
      return { label: `noise seed ${seed}`, x: Float32Array.from({ length: n }, () => r.uniform()) };
    });
    if (photos > 0 && n === 3 * 224 * 224) {
      const imgs = await imagenetImages(photos);
      imgs.files.forEach((f, i) => {
        inputs.push({ label: path.basename(f), x: imgs.x.slice(i * n, (i + 1) * n) });
      });
    }
    const cot = new Rng(5);
    console.info(`\n${model}`);
    for (const { label, x } of inputs) {
      const g = Float32Array.from({ length: k }, () => cot.normal());
      const dx: Float32Array[] = [];
      for (const { s } of sessions) {
        const o = await s.run({
          [vjp.inputName]: new ort.Tensor('float32', x, shape),
          [vjp.dlogitsName]: new ort.Tensor('float32', g, vjp.outputShape),
        });
        dx.push(o[vjp.dinputName]?.data as Float32Array);
      }
      const ext = dx[0] as Float32Array;
      let norm = 0;
      for (const v of ext) norm += v * v;
      const row = sessions.slice(1).map(({ name }, j) => {
        const other = dx[j + 1] as Float32Array;
        let d2 = 0;
        let maxAbs = 0;
        for (let i = 0; i < n; i++) {
          const dd = (other[i] as number) - (ext[i] as number);
          d2 += dd * dd;
          maxAbs = Math.max(maxAbs, Math.abs(dd));
        }
        return { name, rel: Math.sqrt(d2 / norm), maxAbs };
      });
      console.info(
        `  ${label}: ${row.map((r) => `${r.name}: rel L2 ${e(r.rel)}, max ${e(r.maxAbs)}`).join('; ')}`,
      );
      const all = dx[1] as Float32Array;
      const a = row[0] as (typeof row)[number];
      if (a.rel < 1e-5) continue;
      const v = Float64Array.from(all, (ai, i) => (ai - (ext[i] as number)) / a.maxAbs);
      const f = (t: number) => {
        const y = evaluate64(proto, vjp.inputName, {
          dims: shape,
          data: Float64Array.from(x, (xi, i) => xi + t * (v[i] as number)),
        });
        let s = 0;
        for (let i = 0; i < k; i++) s += (g[i] as number) * (y.data[i] as number);
        return s;
      };
      let dExt = 0;
      let dAll = 0;
      for (let i = 0; i < n; i++) {
        dExt += (ext[i] as number) * (v[i] as number);
        dAll += (all[i] as number) * (v[i] as number);
      }
      const f0 = f(0);
      const side = (h: number) => `+h ${e((f(h) - f0) / h, 4)}, -h ${e((f0 - f(-h)) / h, 4)}`;
      console.info(
        `    along the difference: extended ${e(dExt, 4)}, all ${e(dAll, 4)}; float64 one-sided, h 1e-6: ${side(1e-6)}; h 1e-9: ${side(1e-9)}`,
      );
    }
    for (const { s } of sessions) await s.release();
    if (dump) {
      const counts = levels(model).map((lv) => ({
        name: lv.name,
        ops: opCounts(lv.options.optimizedModelFilePath as string),
      }));
      const keys = [...new Set(counts.flatMap((c) => [...c.ops.keys()]))].sort();
      for (const key of keys) {
        const r = counts.map((c) => c.ops.get(key) ?? 0);
        if (r.some((c) => c !== r[0])) {
          console.info(`    ${key}: ${counts.map((c, i) => `${c.name} ${r[i]}`).join(', ')}`);
        }
      }
    }
  }
}

await main();
