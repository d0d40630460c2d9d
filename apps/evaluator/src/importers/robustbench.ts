/**
 * `robustbench`: RobustBench `model_info/<dataset>/<threat model>/<model>.json` files (RobustBench/
 * robustbench). Each file becomes a model with its clean accuracy (on the data set's top-1
 * benchmark) and its AutoAttack robust accuracy on the matching robustness benchmark (data set,
 * threat model and eps from the file; the reference AutoAttack profile, standard version), or, for
 * the corruptions leaderboards, its mean corruption accuracy. RobustBench evaluates CIFAR models on
 * the 10,000 test images and ImageNet models on a fixed subset of 5,000 validation images
 * (README, `helper_files/imagenet_test_image_ids.txt`).
 */
import path from 'node:path';
import {
  type BenchmarkDefinition,
  type Norm,
  parseEps,
  type RobustnessDataset,
  robustnessDatasetNames,
  robustnessEntry,
} from '@alignscope/benchmarks';
import { z } from 'zod';
import { type FileContext, type Importer, RowError } from './common.ts';
import { fileSources } from './files.ts';
import { lineOfKey, readJson } from './json.ts';

const THREAT_MODELS = ['Linf', 'L2', 'corruptions'] as const;
type ThreatModel = (typeof THREAT_MODELS)[number];

/**
 * The eps of each RobustBench leaderboard (robustbench README and leaderboard pages: CIFAR-10 and
 * CIFAR-100 Linf 8/255, CIFAR-10 L2 0.5, ImageNet Linf 4/255). RobustBench lists every file of a
 * folder on its folder's leaderboard, including the six CIFAR-10 Linf files whose "eps" is "0.031"
 * (≈ 7.9/255, TRADES and others, a footnote on the leaderboard): they are placed on that
 * leaderboard's benchmark, with the eps the file states kept in the provenance and reported.
 */
const LEADERBOARD_EPS: Partial<Record<`${RobustnessDataset}/${'Linf' | 'L2'}`, string>> = {
  'cifar10/Linf': '8/255',
  'cifar10/L2': '0.5',
  'cifar100/Linf': '8/255',
  'imagenet/Linf': '4/255',
};

/** Test-set sizes of RobustBench's evaluations. */
export const ROBUSTBENCH_EXAMPLES: Record<RobustnessDataset, number> = {
  cifar10: 10_000,
  cifar100: 10_000,
  imagenet: 5_000,
};

const percent = z.union([z.string(), z.number()]);

const modelInfo = z.object({
  name: z.string(),
  link: z.string().optional(),
  authors: z.string().optional(),
  additional_data: z.boolean().optional(),
  number_forward_passes: z.number().optional(),
  dataset: z.enum(['cifar10', 'cifar100', 'imagenet']),
  venue: z.string().optional(),
  architecture: z.string().optional(),
  eps: z.string().nullable().optional(),
  clean_acc: percent,
  reported: percent.nullable().optional(),
  autoattack_acc: percent.nullable().optional(),
  external: percent.nullable().optional(),
  corruptions_acc: percent.optional(),
  corruptions_acc_3d: percent.optional(),
  corruptions_mce: percent.optional(),
  corruptions_mce_3d: percent.optional(),
  footnote: z.string().nullable().optional(),
  unreliable: z.boolean().optional(),
});
type ModelInfo = z.infer<typeof modelInfo>;

/** Top-1 benchmarks per data set (CIFAR-100 has none in the catalog: created on first use). */
const CLEAN: Record<RobustnessDataset, BenchmarkDefinition[]> = {
  imagenet: [],
  cifar10: [],
  cifar100: [
    {
      identifier: 'cifar100_vision',
      parent: null,
      domain: 'aggregate',
      version: 1,
      displayName: 'CIFAR-100',
      metric: 'mean of children',
      description: 'Benchmarks for CIFAR-100 classifiers (not part of Brain-Score).',
    },
    {
      identifier: 'CIFAR100-top1',
      parent: 'cifar100_vision',
      domain: 'engineering',
      version: 1,
      displayName: 'CIFAR-100 top-1',
      metric: 'top-1 accuracy',
      ceiling: 1,
      rangeMin: 0,
      rangeMax: 1,
      reference: 'Krizhevsky 2009',
    },
  ],
};
const CLEAN_ID: Record<RobustnessDataset, string> = {
  imagenet: 'ImageNet-top1',
  cifar10: 'CIFAR10-top1',
  cifar100: 'CIFAR100-top1',
};
const ROOT: Record<RobustnessDataset, string> = {
  imagenet: 'engineering_vision',
  cifar10: 'cifar10_vision',
  cifar100: 'cifar100_vision',
};

function corruptionsEntry(dataset: RobustnessDataset, threeD: boolean): BenchmarkDefinition {
  const name = robustnessDatasetNames[dataset];
  return {
    identifier: `RobustBench.${dataset}-corruptions${threeD ? '-3d' : ''}`,
    parent: ROOT[dataset],
    domain: 'engineering',
    version: 1,
    displayName: `${name}-${threeD ? '3DCC' : 'C'} accuracy (RobustBench)`,
    metric: 'top-1 accuracy averaged over all corruptions and severities',
    ceiling: 1,
    rangeMin: 0,
    rangeMax: 1,
    description: `RobustBench's common-corruptions accuracy on ${name}-${threeD ? '3DCC' : 'C'}, the mean over corruption types and the five severities.`,
    reference: threeD
      ? 'Kar et al., CVPR 2022 (3D Common Corruptions); Croce et al., RobustBench (NeurIPS 2021 Datasets and Benchmarks)'
      : 'Hendrycks & Dietterich, ICLR 2019; Croce et al., RobustBench (NeurIPS 2021 Datasets and Benchmarks)',
  };
}

/** A percentage field ("84.92") as a fraction; RowError at the field's line otherwise. */
function fraction(text: string, info: Record<string, unknown>, key: keyof ModelInfo): number {
  const v = info[key];
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new RowError(
      lineOfKey(text, key),
      `"${key}" must be a percentage between 0 and 100, found ${JSON.stringify(v)}`,
    );
  }
  return n / 100;
}

async function importRobustBench(ctx: FileContext): Promise<void> {
  const file = ctx.source.path;
  const threat = path.basename(path.dirname(file));
  if (!(THREAT_MODELS as readonly string[]).includes(threat)) {
    throw new RowError(
      null,
      `cannot tell the threat model: RobustBench files live in model_info/<dataset>/{${THREAT_MODELS.join(',')}}/, this one is in "${threat}"`,
    );
  }
  const threatModel = threat as ThreatModel;
  const { text, value } = await readJson(file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RowError(1, 'expected a JSON object (a RobustBench model_info file)');
  }
  const parsed = modelInfo.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const missing = key !== '' && !(key in (value as object));
    throw new RowError(
      missing ? 1 : lineOfKey(text, key),
      missing ? `missing required field "${key}"` : `field "${key}": ${issue?.message ?? 'invalid'}`,
    );
  }
  const info = parsed.data;
  const raw = value as Record<string, unknown>;
  // The folder decides (RobustBench's leaderboards and load_model() go by it); a few CIFAR-100 files
  // carry "dataset": "cifar10", copied from their CIFAR-10 siblings.
  const dirDataset = path.basename(path.dirname(path.dirname(file)));
  const dataset: RobustnessDataset = (['cifar10', 'cifar100', 'imagenet'] as string[]).includes(dirDataset)
    ? (dirDataset as RobustnessDataset)
    : info.dataset;
  if (dataset !== info.dataset) {
    ctx.note(
      lineOfKey(text, 'dataset'),
      `"dataset" says ${info.dataset} but the file is under ${dirDataset}/: taken as ${dirDataset}`,
    );
  }
  const id = path.basename(file, '.json');
  const clean = fraction(text, raw, 'clean_acc');
  const scores: { entry: BenchmarkDefinition[]; identifier: string; value: number; engineering: boolean }[] =
    [];
  scores.push({ entry: CLEAN[dataset], identifier: CLEAN_ID[dataset], value: clean, engineering: true });
  /** The leaderboard's eps (the benchmark the score goes to) and the eps the file states. */
  let epsLabel: string | null = null;
  let statedEps: string | null = null;
  if (threatModel === 'corruptions') {
    if (info.corruptions_acc === undefined) throw new RowError(1, 'missing required field "corruptions_acc"');
    const e = corruptionsEntry(dataset, false);
    scores.push({
      entry: [e],
      identifier: e.identifier,
      value: fraction(text, raw, 'corruptions_acc'),
      engineering: true,
    });
    if (info.corruptions_acc_3d !== undefined) {
      const e3 = corruptionsEntry(dataset, true);
      scores.push({
        entry: [e3],
        identifier: e3.identifier,
        value: fraction(text, raw, 'corruptions_acc_3d'),
        engineering: true,
      });
    }
  } else {
    if (info.autoattack_acc === undefined) throw new RowError(1, 'missing required field "autoattack_acc"');
    if (!info.eps)
      throw new RowError(info.eps === undefined ? 1 : lineOfKey(text, 'eps'), 'missing required field "eps"');
    statedEps = info.eps.trim();
    let stated: number;
    try {
      stated = parseEps(statedEps);
    } catch (e) {
      throw new RowError(lineOfKey(text, 'eps'), (e as Error).message);
    }
    const board = LEADERBOARD_EPS[`${dataset}/${threatModel as 'Linf' | 'L2'}`];
    epsLabel = board ?? statedEps;
    if (board !== undefined && Math.abs(parseEps(board) - stated) > 1e-12) {
      ctx.note(
        lineOfKey(text, 'eps'),
        `the file states eps ${statedEps}; RobustBench lists it on its ${dataset} ${threatModel} ${board} leaderboard, so it is placed there (the stated eps is kept in the provenance)`,
      );
    }
    const e = robustnessEntry({
      norm: threatModel as Norm,
      epsLabel,
      profile: 'reference',
      version: 'standard',
      dataset,
    });
    scores.push({
      entry: [e],
      identifier: e.identifier,
      value: fraction(text, raw, 'autoattack_acc'),
      engineering: false,
    });
  }

  const flags: string[] = [];
  if (info.unreliable) {
    flags.push('unreliable');
    ctx.note(
      lineOfKey(text, 'unreliable'),
      'RobustBench marks this AutoAttack evaluation as potentially unreliable',
    );
  }
  const model = await ctx.model({
    identifier: `robustbench.${dataset}.${threatModel}.${id}`,
    displayName: `${id} (RobustBench ${robustnessDatasetNames[dataset]} ${threatModel})`,
    architecture: info.architecture ?? null,
    trainingRegime: id.startsWith('Standard')
      ? 'standard'
      : threatModel === 'corruptions'
        ? null
        : 'adversarial',
    trainingData: `${robustnessDatasetNames[dataset]}${info.additional_data ? ' + additional data' : ''}`,
    source: info.link ?? null,
    metadata: {
      robustbench: {
        id,
        dataset,
        threatModel,
        paper: info.name,
        authors: info.authors ?? null,
        venue: info.venue ?? null,
        link: info.link ?? null,
        additionalData: info.additional_data ?? null,
        numberForwardPasses: info.number_forward_passes ?? null,
        eps: epsLabel,
        statedEps,
        reported: info.reported ?? null,
        external: info.external ?? null,
        footnote: info.footnote ?? null,
        unreliable: info.unreliable ?? false,
      },
    },
  });
  const written: { benchmark: string; value: number }[] = [];
  for (const s of scores) {
    let bench = await ctx.benchmark(s.identifier);
    for (const e of s.entry) {
      if (bench) break;
      const r = await ctx.ensureBenchmark(e);
      if (r.created) ctx.note(null, `created benchmark ${e.identifier}`);
    }
    bench = await ctx.benchmark(s.identifier);
    if (!bench) throw new Error(`benchmark ${s.identifier} is missing`);
    await ctx.score({
      modelId: model.id,
      benchmark: bench,
      status: 'scored',
      rawValue: s.value,
      ceiledValue: s.engineering ? s.value : null,
    });
    written.push({ benchmark: s.identifier, value: s.value });
  }
  Object.assign(ctx.details, {
    model: model.identifier,
    scores: written,
    flags,
    evaluation: {
      source: 'RobustBench leaderboard (published results, not re-run)',
      attack: threatModel === 'corruptions' ? null : 'AutoAttack, standard version (Croce & Hein 2020)',
      nExamples: ROBUSTBENCH_EXAMPLES[dataset],
      threatModel,
      eps: epsLabel,
      statedEps,
    },
  });
}

export const robustbench: Importer = {
  kind: 'robustbench',
  version: '1.0.0',
  description: 'RobustBench model_info JSON files (a file, or a model_info folder)',
  sources: (target) => fileSources(target, ['.json']),
  importSource: importRobustBench,
};
