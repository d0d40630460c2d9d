/**
 * `npm run bench:attack` (issue 15): AutoAttack 'standard', Linf, seed 0, batch 32 on the bundle's
 * CIFAR ResNet-20 at eps 0.5/255 and 1/255 on the 100-image protocol (first 10 CIFAR-10 test images
 * per class): wall time per stage, time inside onnxruntime, and the share of the machine's float32
 * matrix-product rate (a 1024^3 MatMul through onnxruntime, measured in the same run just before
 * each attack run) that the run's arithmetic achieves. When /usr/bin/python3 has torch and the
 * reference sources are found (bench/reference.ts), the reference fra31/auto-attack runs on the same
 * images right after ours and the ratio is printed. The machine is shared: compare only ratios
 * measured in the same run.
 *
 * Environment: ALIGNSCOPE_DATA_DIR (the data bundle); ALIGNSCOPE_BENCH_QUICK=1 (2 images per class);
 * ALIGNSCOPE_BENCH_FULL=1 (also MobileNet v1 0.25 on 16 ImageNet photos at eps 0.001, the reference
 * too); ALIGNSCOPE_BENCH_MOBILENET_ONLY=1 (only that run); ALIGNSCOPE_BENCH_IMAGENET_IMAGES (16);
 * ALIGNSCOPE_BENCH_EPS=0.5/255 (the CIFAR eps list, default 0.5/255,1/255);
 * ALIGNSCOPE_BENCH_NO_REFERENCE=1 (skip the reference); ALIGNSCOPE_BENCH_JSON=1 (JSON on stdout);
 * ALIGNSCOPE_BENCH_GRADIENT_OPT=auto|extended|all (the gradient graphs' optimisation level, default
 * auto: OnnxClassifier's checked choice); ALIGNSCOPE_BENCH_PROFILE=reference|torchattacks (default
 * reference); ALIGNSCOPE_BENCH_ATTACKS=apgd-t,fab-t (version 'custom' with that list; default the
 * standard version); ALIGNSCOPE_BENCH_SIDE_BY_SIDE=compare (issue 15: every run twice in this
 * process, APGD-T's and FAB-T's target runs one after another (`maxRuns: 1`) and then side by side
 * with the defaults, printing both, the per-stage ratios and whether the adversarial points, flags
 * and norms are identical; the reference is not run); ALIGNSCOPE_BENCH_N_CLASSES (torchattacks'
 * n_classes, so n_classes - 1 APGD-T / FAB-T targets; default the model's classes);
 * ALIGNSCOPE_BENCH_MAX_SAMPLES (the side-by-side runs' sample budget; default SIDE_BY_SIDE_DEFAULTS');
 * ALIGNSCOPE_BENCH_REFERENCE_THREADS (the reference's torch threads; default every core);
 * ALIGNSCOPE_BENCH_SPINNING=default (onnxruntime's own session config, pool threads spinning on after
 * each run, instead of SESSION_CONFIG's force_spinning_stop); ALIGNSCOPE_BENCH_SHARDS=auto|n (the
 * classifier's `shards` option: worker threads sharing each batch; default auto, 1 = none);
 * ALIGNSCOPE_BENCH_ROW_SHARES=0 (APGD-T's and FAB-T's runs and Square's queries not on shares of
 * their rows, each of their calls shared instead, as before sessions 11 and 12 of the README;
 * `rowShares` of runAutoAttack).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { graph } from '@alignscope/onnx-grad';
import * as ort from 'onnxruntime-node';
import { ATTACK_NAMES, type AttackName, type AttackProfile, runAutoAttack } from '../src/autoattack.ts';
import { fabStepThreads } from '../src/fab.ts';
import {
  type BatchInvariance,
  type GradientOptimization,
  intraOpThreads,
  OnnxClassifier,
  type OnnxTimings,
  SESSION_CONFIG,
  type Sharding,
  sessionThreadOptions,
} from '../src/onnx.ts';
import { cifarImages, type Images, imagenetImages, modelPath } from './data.ts';
import { type ReferenceResult, referenceUnavailable, runReference } from './reference.ts';

const env = (name: string) => process.env[name] === '1';
const quick = env('ALIGNSCOPE_BENCH_QUICK');
const full = env('ALIGNSCOPE_BENCH_FULL');
const mobilenetOnly = env('ALIGNSCOPE_BENCH_MOBILENET_ONLY');
const asJson = env('ALIGNSCOPE_BENCH_JSON');
const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * Multiply-adds of one forward pass. ResNet-20 (32x32): conv1 16*3*9*1024 = 0.44 M; stage 1 six
 * 16->16 3x3 convs at 32x32, 2.36 M each = 14.16 M; stages 2 and 3 each one strided conv (1.18 M)
 * and five convs of 2.36 M = 12.98 M; the linear layer 640: 40.57 M in all. A forward+input-gradient
 * pass adds one transposed convolution per convolution (the same count): 2x.
 */
const FORWARD_MACS: Record<string, number> = {
  cifar10_resnet20: 40.57e6,
  // Howard et al. 2017 (arXiv:1704.04861), Table 7: 0.25 MobileNet-224, 41 million mult-adds
  mobilenet_v1_025_imagenet1k: 41e6,
};

/** float32 GEMM rate of onnxruntime here with the attack's threads (FLOP/s, median of repeated 1024^3 MatMuls over ~2 s). */
async function gemmRate(): Promise<number> {
  const n = 1024;
  const model = graph({ opset: 13 })
    .input('a', [n, n])
    .input('b', [n, n])
    .node('MatMul', ['a', 'b'], 'c')
    .output('c')
    .build();
  const s = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    ...sessionThreadOptions(undefined, sessionConfig),
  });
  const a = new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n]);
  const b = new ort.Tensor('float32', new Float32Array(n * n).fill(0.25), [n, n]);
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < 2000 || times.length < 5) {
    const t = performance.now();
    await s.run({ a, b });
    times.push((performance.now() - t) / 1000);
  }
  await s.release();
  times.sort((p, q) => p - q);
  return (2 * n ** 3) / (times[Math.floor(times.length / 2)] as number);
}

type StageRow = {
  attack: string;
  robustAccuracy: number;
  seconds: number;
  /** CPU seconds of this process (all threads): less sensitive than wall time to a shared machine. */
  cpuSeconds: number;
  onnxForwardSeconds: number;
  onnxGradientSeconds: number;
  forwardSamples: number;
  gradientSamples: number;
  gradientPaddedSamples: number;
  referenceSeconds?: number;
  referenceCpuSeconds?: number;
  referenceRobustAccuracy?: number;
  /** The stage's arithmetic (padding included) per wall second, and its share of the GEMM rate. */
  achievedGflops?: number;
  fractionOfGemm?: number;
};

type Run = {
  model: string;
  /** The side-by-side setting: 'sequential' (maxRuns 1) or 'default'. */
  sideBySide: 'sequential' | 'default';
  profile: AttackProfile;
  eps: string;
  images: number;
  gemmGflops: number;
  gradientOptimization: GradientOptimization;
  /** How the classifier shared its batches among threads (OnnxClassifier.sharding). */
  sharding: Sharding;
  /** Whether a sample's results were checked not to depend on its batch (OnnxClassifier.batchInvariance). */
  batchInvariance: BatchInvariance;
  seconds: number;
  cpuSeconds: number;
  /** 1-minute load average when our run started, when it ended and when the reference ended. */
  loadAverage: number[];
  robustAccuracy: number;
  achievedGflops?: number;
  fractionOfGemm?: number;
  stages: StageRow[];
  reference?: ReferenceResult | { unavailable: string };
  sameRobustFlagsAsReference?: number;
  /** compare mode: the run's flags, norms and adversarial points (sha-256), to compare the two settings. */
  outcome?: { robustFlags: string; norms: string; xAdv: string; sideBySide: unknown[] };
};

const compare = process.env.ALIGNSCOPE_BENCH_SIDE_BY_SIDE === 'compare';
if (process.env.ALIGNSCOPE_BENCH_SIDE_BY_SIDE !== undefined && !compare) {
  throw new Error("ALIGNSCOPE_BENCH_SIDE_BY_SIDE must be 'compare'");
}
const profile = (process.env.ALIGNSCOPE_BENCH_PROFILE ?? 'reference') as AttackProfile;
if (profile !== 'reference' && profile !== 'torchattacks') {
  throw new Error(`ALIGNSCOPE_BENCH_PROFILE must be reference or torchattacks, not '${profile}'`);
}
const maxSamples = process.env.ALIGNSCOPE_BENCH_MAX_SAMPLES
  ? Number(process.env.ALIGNSCOPE_BENCH_MAX_SAMPLES)
  : undefined;
const nClasses = process.env.ALIGNSCOPE_BENCH_N_CLASSES
  ? Number(process.env.ALIGNSCOPE_BENCH_N_CLASSES)
  : undefined;
const spinning = process.env.ALIGNSCOPE_BENCH_SPINNING;
if (spinning !== undefined && spinning !== 'default')
  throw new Error("ALIGNSCOPE_BENCH_SPINNING must be 'default'");
/**
 * Whole APGD-T and FAB-T runs, and Linf Square's query spans, on shares of their rows
 * (ALIGNSCOPE_BENCH_ROW_SHARES=0: off).
 */
const rowShares = process.env.ALIGNSCOPE_BENCH_ROW_SHARES !== '0';
if (![undefined, '0', '1'].includes(process.env.ALIGNSCOPE_BENCH_ROW_SHARES))
  throw new Error('ALIGNSCOPE_BENCH_ROW_SHARES must be 0 or 1');
/** FAB-T's step threads (ALIGNSCOPE_BENCH_FAB_THREADS; default: every core). */
const fabThreads = process.env.ALIGNSCOPE_BENCH_FAB_THREADS
  ? Number(process.env.ALIGNSCOPE_BENCH_FAB_THREADS)
  : undefined;
if (fabThreads !== undefined && !(Number.isInteger(fabThreads) && fabThreads >= 1))
  throw new Error('ALIGNSCOPE_BENCH_FAB_THREADS must be a whole number >= 1');
/** OnnxClassifier's `shards` (ALIGNSCOPE_BENCH_SHARDS; default auto). */
const shards =
  process.env.ALIGNSCOPE_BENCH_SHARDS === undefined || process.env.ALIGNSCOPE_BENCH_SHARDS === 'auto'
    ? ('auto' as const)
    : Number(process.env.ALIGNSCOPE_BENCH_SHARDS);
if (shards !== 'auto' && !(Number.isInteger(shards) && shards >= 1))
  throw new Error("ALIGNSCOPE_BENCH_SHARDS must be 'auto' or a whole number >= 1");
/** The session config of our sessions (and the GEMM's): SESSION_CONFIG unless onnxruntime's defaults are asked for. */
const sessionConfig = spinning === 'default' ? {} : SESSION_CONFIG;
const customAttacks = process.env.ALIGNSCOPE_BENCH_ATTACKS?.split(',') as AttackName[] | undefined;
for (const a of customAttacks ?? []) {
  if (!ATTACK_NAMES.includes(a)) throw new Error(`ALIGNSCOPE_BENCH_ATTACKS: unknown attack '${a}'`);
}

async function benchRun(
  name: string,
  imgs: Images,
  epsLabel: string,
  k: number,
  sideBySide: Run['sideBySide'] = 'default',
): Promise<Run> {
  const [num, den] = epsLabel.split('/');
  const eps = Number(num) / (den === undefined ? 1 : Number(den));
  const bytes = readFileSync(modelPath(name));
  const level = process.env.ALIGNSCOPE_BENCH_GRADIENT_OPT ?? 'auto';
  if (level !== 'auto' && level !== 'extended' && level !== 'all') {
    throw new Error(`ALIGNSCOPE_BENCH_GRADIENT_OPT must be auto, extended or all, not '${level}'`);
  }
  const clf = await OnnxClassifier.open(bytes, {
    inputShape: imgs.shape,
    numClasses: k,
    batchSize: 32,
    gradientOptimization: level,
    sessionConfig,
    shards,
  });
  const n = imgs.y.length;
  const gemm = await gemmRate();
  log(
    `${name} Linf ${epsLabel}, ${n} images, ${profile} ${customAttacks?.join(',') ?? 'standard'}, target runs ${sideBySide === 'sequential' ? 'one after another' : 'side by side'}: onnxruntime float32 GEMM ${(gemm / 1e9).toFixed(1)} GFLOP/s`,
  );
  log(`  gradient graphs at '${clf.gradientOptimization.level}': ${clf.gradientOptimization.reason}`);
  log(`  batch invariance: ${clf.batchInvariance.reason}`);
  log(
    `  batches shared among ${clf.sharding.shards} thread(s)${clf.sharding.shards > 1 ? ` of ${clf.sharding.threadsPerShard} onnxruntime thread(s) each` : ''}: ${clf.sharding.reason}`,
  );
  log(
    `  onnxruntime: ${intraOpThreads()} intra-op threads, session config ${JSON.stringify(sessionConfig)}${spinning === 'default' ? ' (ALIGNSCOPE_BENCH_SPINNING=default)' : ''}; FAB-T steps on ${fabStepThreads(
      imgs.shape.reduce((a, b) => a * b, 1),
      fabThreads,
    )} thread(s)${
      clf.sharding.shards > 1
        ? `; APGD-T's and FAB-T's runs and Linf Square's queries on shares of their rows: ${rowShares ? "yes (FAB-T's steps then on the shares' threads)" : 'no (ALIGNSCOPE_BENCH_ROW_SHARES=0)'}`
        : ''
    }`,
  );
  const snap = (): OnnxTimings => ({ ...clf.timings });
  const stages: StageRow[] = [];
  let current = 'clean';
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let t0 = performance.now();
  let c0 = cpuNow();
  let s0 = snap();
  const close = () => {
    const s = snap();
    const c = cpuNow();
    if (current !== 'clean') {
      stages.push({
        attack: current,
        robustAccuracy: Number.NaN,
        seconds: (performance.now() - t0) / 1000,
        cpuSeconds: c - c0,
        onnxForwardSeconds: (s.forwardMs - s0.forwardMs) / 1000,
        onnxGradientSeconds: (s.gradientMs - s0.gradientMs) / 1000,
        forwardSamples: s.forwardSamples - s0.forwardSamples,
        gradientSamples: s.gradientSamples - s0.gradientSamples,
        gradientPaddedSamples: s.gradientPaddedSamples - s0.gradientPaddedSamples,
      });
    }
    t0 = performance.now();
    c0 = c;
    s0 = s;
  };
  const load = () => os.loadavg()[0] as number;
  const loadAverage = [load()];
  const tRun = performance.now();
  let lastLog = tRun;
  const cRun = cpuNow();
  const r = await runAutoAttack(clf, imgs.x, imgs.y, {
    norm: 'Linf',
    eps,
    seed: 0,
    batchSize: 32,
    profile,
    ...(nClasses ? { nClasses } : {}),
    ...(customAttacks ? { version: 'custom' as const, attacks: customAttacks } : {}),
    keepAdversarial: compare,
    ...(fabThreads === undefined ? {} : { fabStepThreads: fabThreads }),
    rowShares,
    ...(sideBySide === 'sequential'
      ? { sideBySide: { maxRuns: 1 } }
      : maxSamples
        ? { sideBySide: { maxSamples } }
        : {}),
    onProgress: (e) => {
      // a line every 30 s, so that a long run shows where it is
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(
          `  ... ${e.attack} ${(e.fraction * 100).toFixed(1)} % of the stage, ${e.robustNow}/${e.pointsTotal} robust, ${e.stageSeconds.toFixed(0)} s`,
        );
      }
      if (e.attack !== current) {
        close();
        current = e.attack;
      }
    },
  });
  close();
  const seconds = (performance.now() - tRun) / 1000;
  const cpuSeconds = cpuNow() - cRun;
  loadAverage.push(load());
  r.stages.forEach((st, i) => {
    const row = stages[i];
    if (row) row.robustAccuracy = st.robustAccuracy;
  });
  const cleanLogits = await clf.logits(imgs.x, n);
  await clf.release();
  const run: Run = {
    model: name,
    sideBySide,
    profile,
    eps: epsLabel,
    images: n,
    gemmGflops: gemm / 1e9,
    gradientOptimization: clf.gradientOptimization,
    sharding: clf.sharding,
    batchInvariance: clf.batchInvariance,
    seconds,
    cpuSeconds,
    loadAverage,
    robustAccuracy: r.robustAccuracy,
    stages,
  };
  const macs = FORWARD_MACS[name];
  if (macs !== undefined) {
    // the arithmetic onnxruntime did, padding included (n clean forwards + every attack call)
    const fwd = n + stages.reduce((a, s) => a + s.forwardSamples, 0);
    const grad = stages.reduce((a, s) => a + s.gradientPaddedSamples, 0);
    run.achievedGflops = (2 * macs * (fwd + 2 * grad)) / seconds / 1e9;
    run.fractionOfGemm = run.achievedGflops / run.gemmGflops;
    for (const st of stages.filter((x) => x.seconds > 0)) {
      st.achievedGflops = (2 * macs * (st.forwardSamples + 2 * st.gradientPaddedSamples)) / st.seconds / 1e9;
      st.fractionOfGemm = st.achievedGflops / run.gemmGflops;
    }
  }
  log(
    `  ours: ${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s, load ${loadAverage.map((v) => v.toFixed(1)).join(' -> ')}), ${stages.map((s) => `${s.attack} ${(s.robustAccuracy * 100).toFixed(0)}% ${s.seconds.toFixed(1)}s (CPU ${s.cpuSeconds.toFixed(1)}s)`).join(', ')}`,
  );
  if (compare) {
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);
    const xa = r.xAdv as Float32Array;
    run.outcome = {
      robustFlags: r.robustFlags.map(Number).join(''),
      norms: hash(new Uint8Array(Float64Array.from(r.perturbationNorms).buffer)),
      xAdv: hash(new Uint8Array(xa.buffer, xa.byteOffset, xa.byteLength)),
      sideBySide: r.stages.map((st) => st.sideBySide ?? null),
    };
    log(`  outcome: ${JSON.stringify(run.outcome)}`);
  }
  const why = compare
    ? 'ALIGNSCOPE_BENCH_SIDE_BY_SIDE=compare'
    : env('ALIGNSCOPE_BENCH_NO_REFERENCE')
      ? 'ALIGNSCOPE_BENCH_NO_REFERENCE=1'
      : referenceUnavailable();
  if (why !== null) {
    run.reference = { unavailable: why };
    log(`  reference not run: ${run.reference.unavailable}`);
    return run;
  }
  const ref = runReference(bytes, imgs.x, imgs.y, cleanLogits, epsLabel, 32, imgs.shape);
  run.reference = ref;
  loadAverage.push(load());
  for (const st of stages) {
    const rs = ref.stages.find((q) => q.attack === st.attack);
    if (rs) {
      st.referenceSeconds = rs.seconds;
      if (rs.cpuSeconds !== undefined) st.referenceCpuSeconds = rs.cpuSeconds;
      st.referenceRobustAccuracy = rs.robustAccuracy;
    }
  }
  const flags = r.robustFlags.map(Number).join('');
  run.sameRobustFlagsAsReference = [...flags].filter((f, i) => f === ref.robustFlags[i]).length;
  log(
    `  reference: ${ref.seconds.toFixed(1)} s (CPU ${ref.cpuSeconds?.toFixed(1) ?? '?'} s, load ${load().toFixed(1)}; ${ref.source}; rebuilt model's logits within ${ref.maxLogitDifferenceToOnnxruntime.toExponential(1)} of onnxruntime)`,
  );
  return run;
}

/** ALIGNSCOPE_BENCH_REPEAT: each CIFAR run (ours, then the reference) this many times in a row. */
const repeat = Number(process.env.ALIGNSCOPE_BENCH_REPEAT ?? 1);
if (!(Number.isInteger(repeat) && repeat >= 1))
  throw new Error('ALIGNSCOPE_BENCH_REPEAT must be a whole number >= 1');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
log(`attack benchmark on ${cpu} x ${os.cpus().length}, load average ${os.loadavg()[0]?.toFixed(1)}`);
const runs: Run[] = [];
if (!mobilenetOnly) {
  const cifar = await cifarImages(quick ? 2 : 10);
  const epsList = process.env.ALIGNSCOPE_BENCH_EPS?.split(',') ?? ['0.5/255', '1/255'];
  for (const eps of epsList) {
    for (let i = 0; i < repeat; i++) {
      if (compare) runs.push(await benchRun('cifar10_resnet20', cifar, eps, 10, 'sequential'));
      runs.push(await benchRun('cifar10_resnet20', cifar, eps, 10));
    }
  }
}
if (full || mobilenetOnly) {
  const n = Number(process.env.ALIGNSCOPE_BENCH_IMAGENET_IMAGES ?? 16);
  const imgs = await imagenetImages(n);
  if (compare) runs.push(await benchRun('mobilenet_v1_025_imagenet1k', imgs, '0.001', 1000, 'sequential'));
  runs.push(await benchRun('mobilenet_v1_025_imagenet1k', imgs, '0.001', 1000));
}
if (compare) {
  // each sequential run is followed by its side-by-side run
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const a = runs[i] as Run;
    const b = runs[i + 1] as Run;
    const same =
      JSON.stringify([a.outcome?.robustFlags, a.outcome?.norms, a.outcome?.xAdv]) ===
      JSON.stringify([b.outcome?.robustFlags, b.outcome?.norms, b.outcome?.xAdv]);
    log(
      `${a.model} ${a.eps} ${a.profile}: one after another / side by side: ${a.stages.map((st, j) => `${st.attack} ${st.seconds.toFixed(1)} / ${b.stages[j]?.seconds.toFixed(1)} s = ${(st.seconds / (b.stages[j]?.seconds ?? Number.NaN)).toFixed(2)}x (CPU ${(st.cpuSeconds / (b.stages[j]?.cpuSeconds ?? Number.NaN)).toFixed(2)}x)`).join(', ')}; identical points, flags and norms: ${same}`,
    );
  }
}

/** Per model and eps run more than once: the reference / ours ratios of every run and their medians. */
function repeatSummary(): string[] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    if (r.sideBySide === 'sequential') continue;
    const key = `${r.model} ${r.eps}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  const lines: string[] = [];
  for (const [key, rs] of groups) {
    const refs = rs.filter((r) => r.reference && 'seconds' in r.reference);
    if (refs.length < 2) continue;
    const wall = refs.map((r) => (r.reference as ReferenceResult).seconds / r.seconds);
    const cpuR = refs.map((r) => ((r.reference as ReferenceResult).cpuSeconds ?? Number.NaN) / r.cpuSeconds);
    lines.push(
      `${key}, ${refs.length} runs (ours then the reference, in turn): reference / ours wall ${wall.map((v) => v.toFixed(2)).join(', ')} (median ${median(wall).toFixed(2)}), CPU ${cpuR.map((v) => v.toFixed(2)).join(', ')} (median ${median(cpuR).toFixed(2)}); ours ${refs.map((r) => r.seconds.toFixed(1)).join(', ')} s, reference ${refs.map((r) => (r.reference as ReferenceResult).seconds.toFixed(1)).join(', ')} s`,
    );
  }
  return lines;
}

if (asJson) {
  process.stdout.write(
    `${JSON.stringify({ cpu, cores: os.cpus().length, loadAverage: os.loadavg(), runs, repeats: repeatSummary() }, null, 2)}\n`,
  );
} else {
  const pct = (v: number | undefined) =>
    v === undefined || Number.isNaN(v) ? '' : `${(v * 100).toFixed(0)} %`;
  console.log(
    `${cpu} x ${os.cpus().length}, load average ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}; ratios are measured in the same run`,
  );
  const ratio = (ref: number | undefined, ours: number) => (ref === undefined ? '' : (ref / ours).toFixed(2));
  const secs = (wall: number | undefined, cpuS: number | undefined) =>
    wall === undefined ? '' : `${wall.toFixed(1)} (${cpuS?.toFixed(1) ?? '?'})`;
  console.log(
    '| model | eps | images | stage | robust acc. (ref.) | ours s wall (CPU) | onnxruntime fwd / fwd+grad s | samples fwd / grad (padded) | GFLOP/s (share of GEMM) | reference s wall (CPU) | reference / ours wall, CPU |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    for (const s of r.stages) {
      console.log(
        `| ${r.model} | ${r.eps} | ${r.images} | ${s.attack} | ${pct(s.robustAccuracy)} (${pct(s.referenceRobustAccuracy)}) | ${secs(s.seconds, s.cpuSeconds)} | ${s.onnxForwardSeconds.toFixed(1)} / ${s.onnxGradientSeconds.toFixed(1)} | ${s.forwardSamples} / ${s.gradientSamples} (${s.gradientPaddedSamples}) | ${s.achievedGflops === undefined ? '' : `${s.achievedGflops.toFixed(1)} (${pct(s.fractionOfGemm)})`} | ${secs(s.referenceSeconds, s.referenceCpuSeconds)} | ${ratio(s.referenceSeconds, s.seconds)}, ${ratio(s.referenceCpuSeconds, s.cpuSeconds)} |`,
      );
    }
    const ref = r.reference && 'seconds' in r.reference ? r.reference : undefined;
    console.log(
      `| ${r.model} | ${r.eps} | ${r.images} | **total** (${r.profile}; target runs ${r.sideBySide === 'sequential' ? 'one after another' : 'side by side'}) (gradient graphs '${r.gradientOptimization.level}'; ${r.sharding.shards} shard(s)) | ${pct(r.robustAccuracy)} | ${secs(r.seconds, r.cpuSeconds)} | GEMM ${r.gemmGflops.toFixed(1)} GFLOP/s | load ${r.loadAverage.map((v) => v.toFixed(1)).join(' -> ')} | ${r.achievedGflops?.toFixed(1) ?? '?'} (${pct(r.fractionOfGemm)}) | ${ref ? secs(ref.seconds, ref.cpuSeconds) : ((r.reference as { unavailable?: string })?.unavailable ?? '')} | ${ref ? `${ratio(ref.seconds, r.seconds)}, ${ratio(ref.cpuSeconds, r.cpuSeconds)}` : ''}${r.sameRobustFlagsAsReference === undefined ? '' : `; same robust flag on ${r.sameRobustFlagsAsReference}/${r.images} images`} |`,
    );
  }
  for (const line of repeatSummary()) console.log(line);
}
