/**
 * `alignscope attack`: AutoAttack (packages/attacks) on an ONNX classifier and a manifest of labelled
 * images, preprocessed as the model card says. Prints a summary (or JSON with --json) only when the
 * run is complete; progress goes to stderr.
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ATTACK_NAMES,
  AttackConfigError,
  type AttackName,
  type AttackProfile,
  type AutoAttackResult,
  type AutoAttackVersion,
  attackPlan,
  type Norm,
  type ProgressEvent,
  runAutoAttack,
} from '@alignscope/attacks';
import { parseEps } from '@alignscope/benchmarks';
import { loadConfig } from '@alignscope/config';
import type { Command } from 'commander';
import { attackClassifier, loadPixels } from '../benchmarks/autoattack.ts';
import { InputError } from '../errors.ts';
import { manifestImageSet } from '../images/sets.ts';
import { loadCard, numClasses } from '../models/card.ts';
import { labelResolver, labelSpaceOf } from '../models/labels.ts';
import { checkModel, closeModels, openModel } from '../models/session.ts';

export { inputTransform } from '../benchmarks/autoattack.ts';

type CliOptions = {
  model: string;
  card: string;
  manifest: string;
  dataDir?: string;
  norm: string;
  eps: string;
  version: string;
  attacks?: string;
  profile: string;
  seed: string;
  batchSize: string;
  threads?: string;
  output?: string;
  json?: boolean;
};

/** The JSON printed with --json (field names as documented for the command). */
export type AttackJson = {
  clean_accuracy: number;
  robust_accuracy: number;
  stages: { attack: AttackName; robust_accuracy: number }[];
  robust_flags: boolean[];
  eps: number;
  norm: Norm;
  profile: AttackProfile;
  seed: number;
  n: number;
  seconds: number;
};

function intOption(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new InputError(`${name} must be an integer >= ${min}, got "${v}"`);
  }
  return n;
}

/** Progress on stderr: a redrawn line on a terminal, otherwise a line per stage and per quarter. */
function progressReporter(enabled: boolean) {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastStage = '';
  let lastQuarter = -1;
  const fmtTime = (s: number) => {
    if (!Number.isFinite(s)) return '--';
    const m = Math.floor(s / 60);
    return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
  };
  return {
    update(e: ProgressEvent) {
      if (!enabled) return;
      const name = e.attack === 'clean' ? 'clean' : `${e.attack} (${e.stageIndex + 1}/${e.stageCount})`;
      const eta = e.fraction > 0 ? (e.stageSeconds * (1 - e.fraction)) / e.fraction : Number.NaN;
      const pct = Math.round(e.fraction * 100);
      const line = `${name} ${'#'.repeat(Math.round(e.fraction * 20)).padEnd(20, '.')} ${String(pct).padStart(3)}% | ${e.pointsTotal} attacked, ${e.robustNow} robust | ETA ${fmtTime(eta)}`;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 200 && e.fraction < 1 && name === lastStage) return;
        lastDraw = now;
        lastStage = name;
        process.stderr.write(`\r\x1b[2K${line}`);
        if (e.fraction >= 1 && e.attack !== 'clean') process.stderr.write('\n');
        return;
      }
      const quarter = Math.floor(e.fraction * 4);
      if (name !== lastStage || quarter > lastQuarter) {
        lastStage = name;
        lastQuarter = quarter;
        process.stderr.write(`${line}\n`);
      }
      if (e.fraction >= 1) lastQuarter = -1;
    },
    end() {
      if (enabled && tty) process.stderr.write('\r\x1b[2K');
    },
  };
}

export function toJson(r: AutoAttackResult, eps: number, norm: Norm, profile: AttackProfile): AttackJson {
  return {
    clean_accuracy: r.cleanAccuracy,
    robust_accuracy: r.robustAccuracy,
    stages: r.stages.map((s) => ({ attack: s.attack, robust_accuracy: s.robustAccuracy })),
    robust_flags: r.robustFlags,
    eps,
    norm,
    profile,
    seed: r.seed,
    n: r.n,
    seconds: r.seconds,
  };
}

async function run(opts: CliOptions): Promise<void> {
  const t0 = performance.now();
  // --- options
  if (opts.norm !== 'Linf' && opts.norm !== 'L2')
    throw new InputError(`--norm must be Linf or L2, got "${opts.norm}"`);
  const norm: Norm = opts.norm;
  let eps: number;
  try {
    eps = parseEps(opts.eps);
  } catch (e) {
    throw new InputError(`--eps: ${(e as Error).message}`);
  }
  if (opts.version !== 'standard' && opts.version !== 'rand') {
    throw new InputError(`--version must be standard or rand, got "${opts.version}"`);
  }
  if (opts.profile !== 'reference' && opts.profile !== 'torchattacks') {
    throw new InputError(`--profile must be reference or torchattacks, got "${opts.profile}"`);
  }
  const profile: AttackProfile = opts.profile;
  let version: AutoAttackVersion = opts.version;
  let attacks: AttackName[] | undefined;
  if (opts.attacks !== undefined) {
    const list = opts.attacks
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    for (const a of list) {
      if (!(ATTACK_NAMES as readonly string[]).includes(a)) {
        throw new InputError(`--attacks: unknown attack "${a}" (choose from ${ATTACK_NAMES.join(', ')})`);
      }
    }
    if (list.length === 0) throw new InputError('--attacks must name at least one attack');
    attacks = list as AttackName[];
    // a list other than the version's own runs the reference's 'custom' version
    const own = attackPlan(profile, version, norm, eps, 10).attacks;
    if (attacks.join(',') !== own.join(',')) version = 'custom';
    else attacks = undefined;
  }
  const seed = intOption('--seed', opts.seed, 0);
  const batchSize = intOption('--batch-size', opts.batchSize, 1);
  const threads = opts.threads === undefined ? undefined : intOption('--threads', opts.threads, 1);

  // --- model, card, images
  if (!existsSync(opts.model)) throw new InputError(`model file not found: ${opts.model}`);
  const card = loadCard(opts.card);
  const dataDir = opts.dataDir ?? loadConfig().dataDir;
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory())
    throw new InputError(`data directory not found: ${dataDir}`);
  const rows = manifestImageSet(opts.manifest, { baseDir: dataDir });
  if (rows.length === 0) throw new InputError(`manifest ${opts.manifest} lists no images`);
  // Class names (for name labels) from the data bundle, not from --data-dir (the images' folder).
  const resolve = labelResolver(labelSpaceOf(card, loadConfig().dataDir));
  const labels = Int32Array.from(rows, (r, i) => resolve(r.label, `manifest ${opts.manifest}:${i + 2}`));
  rows.forEach((r, i) => {
    if (!existsSync(r.file))
      throw new InputError(`manifest ${opts.manifest}:${i + 2}: image file not found: ${r.file}`);
  });
  // checks the input contract against the card and that the output is [N, classes]
  const loaded = await openModel(path.resolve(opts.model), card, threads === undefined ? {} : { threads });
  await checkModel(loaded);

  const x = await loadPixels(
    rows.map((r) => r.file),
    card,
    (i) => `manifest ${opts.manifest}:${i + 2}: `,
  );
  const { classifier: clf, onnx } = await attackClassifier(path.resolve(opts.model), card, numClasses(card), {
    batchSize,
    ...(threads === undefined ? {} : { threads }),
  });
  const progress = progressReporter(true);
  let result: AutoAttackResult;
  try {
    result = await runAutoAttack(clf, x, labels, {
      norm,
      eps,
      version,
      ...(attacks ? { attacks } : {}),
      profile,
      seed,
      batchSize,
      keepAdversarial: false,
      onProgress: (e) => progress.update(e),
    });
  } catch (e) {
    if (e instanceof AttackConfigError) throw new InputError(e.message);
    const msg = (e as Error).message ?? String(e);
    if (/not supported|UnsupportedOp|no rule/i.test(msg)) {
      throw new InputError(`cannot differentiate ${opts.model}: ${msg.split('\n')[0]}`);
    }
    throw e;
  } finally {
    progress.end();
    await onnx.release();
  }
  result.seconds = (performance.now() - t0) / 1000;
  for (const w of result.warnings) process.stderr.write(`alignscope: warning: ${w}\n`);
  const json = toJson(result, eps, norm, profile);
  if (opts.output) {
    // written only when complete, atomically
    const tmp = `${opts.output}.partial-${process.pid}`;
    writeFileSync(
      tmp,
      `${JSON.stringify({ ...json, version, attacks: result.plan.attacks, early_stop: result.plan.earlyStop, gradient_optimization: onnx.gradientOptimization, sharding: onnx.sharding, batch_invariance: onnx.batchInvariance, warnings: result.warnings }, null, 2)}\n`,
    );
    renameSync(tmp, opts.output);
  }
  if (opts.json) {
    console.log(JSON.stringify(json));
    return;
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  console.log(
    `AutoAttack ${version} (${profile}), ${norm} eps = ${opts.eps} (${eps.toPrecision(6)}), seed ${seed}`,
  );
  console.log(`images: ${result.n}, clean accuracy: ${pct(result.cleanAccuracy)}`);
  for (const s of result.stages)
    console.log(`  after ${s.attack.padEnd(8)} ${pct(s.robustAccuracy)}  (${s.seconds.toFixed(1)} s)`);
  console.log(`robust accuracy: ${pct(result.robustAccuracy)}`);
  console.log(
    `largest ${norm} perturbation: ${result.maxPerturbation.toPrecision(6)}; ${result.seconds.toFixed(1)} s`,
  );
}

export default function register(program: Command): void {
  program
    .command('attack')
    .description('robust accuracy of an ONNX classifier under AutoAttack (Croce & Hein 2020)')
    .requiredOption('--model <file.onnx>', "ONNX classifier (inputs in the card's range, logits out)")
    .requiredOption('--card <card.json>', 'model card: input shape, preprocessing, label space')
    .requiredOption('--manifest <file.csv>', 'CSV with columns file,label (file relative to --data-dir)')
    .option('--data-dir <dir>', 'folder the manifest paths are relative to (default: ALIGNSCOPE_DATA_DIR)')
    .requiredOption('--norm <Linf|L2>', 'threat model')
    .requiredOption('--eps <number|a/b>', 'perturbation bound on the [0,1] pixel scale, e.g. 8/255')
    .option('--version <standard|rand>', 'AutoAttack version', 'standard')
    .option(
      '--attacks <list>',
      `attacks to run, comma-separated (${ATTACK_NAMES.join(', ')}); a list other than the version's runs the 'custom' version`,
    )
    .option('--profile <reference|torchattacks>', 'attack configuration', 'reference')
    .option('--seed <n>', 'random seed (same seed and inputs give the same result)', '0')
    .option('--batch-size <n>', 'points per attack batch', '32')
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option(
      '--output <file.json>',
      'also write the result (with version, attacks, warnings) to this file when complete',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: CliOptions) => {
      try {
        await run(opts);
      } finally {
        await closeModels();
      }
    });
}
