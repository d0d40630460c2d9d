/**
 * `npm run bench:attack`: throughput of APGD-CE and of the full AutoAttack standard run on the data
 * bundle's CIFAR ResNet-20 and MobileNet v1 0.25 (onnxruntime-node CPU, gradients from onnx-grad),
 * and the share of wall time spent inside onnxruntime calls versus TypeScript.
 *
 * Options (argv): --quick (fewer images), --full (also the slow CIFAR eps 1/255 standard run),
 * --json (machine-readable result on stdout); or ALIGNSCOPE_BENCH_QUICK=1 / _FULL=1 / _JSON=1.
 * Needs ALIGNSCOPE_DATA_DIR (the data bundle).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { APGD_DEFAULTS, apgdPerturb } from '../src/apgd.ts';
import { runAutoAttack } from '../src/autoattack.ts';
import { argmaxRows } from '../src/losses.ts';
import { OnnxClassifier } from '../src/onnx.ts';
import { fgsmAttack, pgdAttack } from '../src/pgd.ts';
import { cifarImages, type Images, imagenetImages, modelPath } from './data.ts';

const args = new Set(process.argv.slice(2));
// flags may also come from the environment, as npm does not pass workspace script arguments on
const env = (name: string) => process.env[name] === '1';
const quick = args.has('--quick') || env('ALIGNSCOPE_BENCH_QUICK');
const full = args.has('--full') || env('ALIGNSCOPE_BENCH_FULL');
const asJson = args.has('--json') || env('ALIGNSCOPE_BENCH_JSON');

type Row = {
  model: string;
  run: string;
  images: number;
  attacked: number;
  seconds: number;
  imagesPerSecond: number;
  onnxShare: number;
  robustAccuracy?: number;
  note?: string;
};

const rows: Row[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

function resetTimings(c: OnnxClassifier) {
  c.timings.forwardMs = 0;
  c.timings.gradientMs = 0;
  c.timings.forwardCalls = 0;
  c.timings.gradientCalls = 0;
}

async function benchModel(
  name: string,
  imgs: Images,
  epsList: { label: string; eps: number; full: boolean }[],
) {
  const k = name.startsWith('cifar') ? 10 : 1000;
  const clf = await OnnxClassifier.open(readFileSync(modelPath(name)), {
    inputShape: imgs.shape,
    numClasses: k,
    batchSize: 32,
  });
  const n = imgs.y.length;
  const pred = argmaxRows(await clf.logits(imgs.x, n), n, k);
  const correct = pred.reduce((a, p, i) => a + (p === imgs.y[i] ? 1 : 0), 0);
  log(`${name}: ${n} images, clean accuracy ${(correct / n).toFixed(3)}`);
  // warm the CE gradient graphs (built once per padded batch size 1, 2, 4, ..., 32; not counted).
  // Graphs of the other losses are built inside the timed AutoAttack runs, as in real use.
  const d = imgs.x.length / n;
  for (let m = 1; m <= 32 && m <= n; m *= 2)
    await clf.lossGrad(imgs.x.subarray(0, m * d), m, 'ce', imgs.y.subarray(0, m));

  const { label: eps0Label, eps: eps0 } = epsList[0] as { label: string; eps: number };
  for (const earlyStop of [false, true]) {
    resetTimings(clf);
    const t0 = performance.now();
    const r = await apgdPerturb(
      clf,
      imgs.x,
      imgs.y,
      n,
      'ce',
      { norm: 'Linf', eps: eps0, ...APGD_DEFAULTS, earlyStop },
      { seed: 0 },
    );
    const s = (performance.now() - t0) / 1000;
    const onnxShare = (clf.timings.forwardMs + clf.timings.gradientMs) / 1000 / s;
    const robust = argmaxRows(await clf.logits(r.xAdv, n), n, k).reduce(
      (a, p, i) => a + (p === imgs.y[i] ? 1 : 0),
      0,
    );
    rows.push({
      model: name,
      run: `APGD-CE Linf ${eps0Label}${earlyStop ? ' (early stop)' : ' (all 100 iterations)'}`,
      images: n,
      attacked: correct,
      seconds: s,
      imagesPerSecond: n / s,
      onnxShare,
      robustAccuracy: robust / n,
    });
    log(`  ${rows.at(-1)?.run}: ${s.toFixed(1)} s`);
  }
  for (const e of epsList) {
    if (e.full && !full) continue;
    resetTimings(clf);
    const t0 = performance.now();
    const r = await runAutoAttack(clf, imgs.x, imgs.y, {
      norm: 'Linf',
      eps: e.eps,
      seed: 0,
      batchSize: 32,
      keepAdversarial: false,
    });
    const s = (performance.now() - t0) / 1000;
    rows.push({
      model: name,
      run: `AutoAttack standard Linf ${e.label}`,
      images: n,
      attacked: correct,
      seconds: s,
      imagesPerSecond: n / s,
      onnxShare: (clf.timings.forwardMs + clf.timings.gradientMs) / 1000 / s,
      robustAccuracy: r.robustAccuracy,
      note: r.stages
        .map((st) => `${st.attack} ${(st.robustAccuracy * 100).toFixed(1)}% ${st.seconds.toFixed(0)}s`)
        .join(', '),
    });
    log(`  ${rows.at(-1)?.run}: ${s.toFixed(1)} s (${rows.at(-1)?.note})`);
    // baselines on the same images: AutoAttack must not be weaker
    const f = await fgsmAttack(clf, imgs.x, imgs.y, n, e.eps);
    const p = await pgdAttack(clf, imgs.x, imgs.y, n, {
      norm: 'Linf',
      eps: e.eps,
      steps: 20,
      randomStart: true,
      seed: 0,
    });
    const acc = (u: Uint8Array) => u.reduce((a, b) => a + b, 0) / n;
    rows.push({
      model: name,
      run: `baselines Linf ${e.label}`,
      images: n,
      attacked: correct,
      seconds: 0,
      imagesPerSecond: 0,
      onnxShare: 0,
      note: `FGSM robust ${(acc(f.robust) * 100).toFixed(1)}%, PGD-20 robust ${(acc(p.robust) * 100).toFixed(1)}%`,
    });
    log(`  ${rows.at(-1)?.note}`);
  }
  await clf.release();
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
log(`attack benchmark on ${cpu} x ${os.cpus().length}, load average ${os.loadavg()[0]?.toFixed(1)}`);
await benchModel('cifar10_resnet20', await cifarImages(quick ? 2 : 10), [
  { label: '8/255', eps: 8 / 255, full: false },
  { label: '1/255', eps: 1 / 255, full: true },
]);
await benchModel('mobilenet_v1_025_imagenet1k', await imagenetImages(quick ? 4 : 16), [
  { label: '1/255', eps: 1 / 255, full: false },
  // below the seed paper's smallest eps (0.001, where APGD-CE already fools every point) so that
  // points stay robust and every stage runs (slow)
  { label: '0.0001', eps: 0.0001, full: true },
]);

if (asJson) console.log(JSON.stringify({ cpu, cores: os.cpus().length, rows }, null, 2));
else {
  console.log('| model | run | images | s | images/s | onnxruntime share | robust acc. | notes |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.run} | ${r.images} (${r.attacked} correct) | ${r.seconds.toFixed(1)} | ${r.imagesPerSecond.toFixed(2)} | ${(r.onnxShare * 100).toFixed(0)} % | ${r.robustAccuracy === undefined ? '' : `${(r.robustAccuracy * 100).toFixed(1)} %`} | ${r.note ?? ''} |`,
    );
  }
}
