/**
 * `npm run bench:evaluate`: images per second of the cue-conflict benchmark
 * (Hermann2020cueconflict-shape_bias, 1,280 stimuli) on the two ImageNet models of the data bundle,
 * split into decode and inference time:
 * - decode only: the image pipeline over all stimuli (sharp, batches of --batch-size);
 * - inference only: onnxruntime over pre-decoded batches (the first batch reused), same image count;
 * - end to end: the benchmark as `alignscope evaluate` runs it (decode of the next batch overlapped with
 *   inference), with its summed decode and inference times.
 * Usage: npm run bench:evaluate (all defaults), or with options:
 *   npx tsx apps/evaluator/bench/evaluate.ts --threads 2 --batch-size 16 --limit 1280 --json
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@alignscope/config';
import { listStimuli } from '../src/benchmarks/stimuli.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { imageBatches } from '../src/images/index.ts';
import { closeModels, loadCard, openModel } from '../src/models/index.ts';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '16' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const batchSize = Number(values['batch-size']);
const dataDir = loadConfig().dataDir;
const all = listStimuli(dataDir, 'cue-conflict');
const stimuli = values.limit ? all.slice(0, Number(values.limit)) : all;
const n = stimuli.length;

type Row = Record<string, string | number>;
const rows: Row[] = [];
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000 * 10) / 10;

for (const name of ['mobilenet_v1_025_imagenet1k', 'tiny_darknet_imagenet1k']) {
  const card = loadCard(`${dataDir}/models/${name}.json`);
  const model = await openModel(`${dataDir}/models/${name}.onnx`, card, { threads });

  let t0 = performance.now();
  let first: Float32Array | undefined;
  for await (const b of imageBatches(stimuli, card, batchSize, { asIsAtInputSize: true, prefetch: 0 })) {
    first ??= b.data;
  }
  const decodeMs = performance.now() - t0;

  const batch = first as Float32Array;
  const per = batch.length / batchSize;
  await model.run(batch, batchSize); // warm-up
  t0 = performance.now();
  for (let done = 0; done < n; done += batchSize) {
    const k = Math.min(batchSize, n - done);
    await model.run(k === batchSize ? batch : batch.subarray(0, k * per), k);
  }
  const inferenceMs = performance.now() - t0;

  const [r] = await evaluate(
    {
      model: `${dataDir}/models/${name}.onnx`,
      card: `${dataDir}/models/${name}.json`,
      benchmarks: ['Hermann2020cueconflict-shape_bias'],
      threads,
      batchSize,
      ...(values.limit ? { limit: Number(values.limit) } : {}),
    },
    null,
  );
  const t = r?.timings ?? {};
  rows.push({
    model: name,
    images: n,
    'decode only img/s': rate(n, decodeMs),
    'inference only img/s': rate(n, inferenceMs),
    'end-to-end img/s': rate(n, t.classifyWallMs ?? Number.NaN),
    'e2e decode ms': Math.round(t.decodeMs ?? Number.NaN),
    'e2e inference ms': Math.round(t.inferenceMs ?? Number.NaN),
    'e2e wall ms': Math.round(t.classifyWallMs ?? Number.NaN),
    'shape bias': Number((r?.raw ?? Number.NaN).toFixed(4)),
  });
}
await closeModels();

if (values.json) console.log(JSON.stringify({ threads, batchSize, rows }, null, 2));
else {
  console.log(
    `cue-conflict benchmark, ${n} stimuli, batch ${batchSize}, ${threads} onnxruntime threads, ${process.platform}-${process.arch}`,
  );
  const cols = Object.keys(rows[0] ?? {});
  console.log(cols.join('\t'));
  for (const r of rows) console.log(cols.map((c) => r[c]).join('\t'));
}
