/**
 * The model-vs-human data sets of the data bundle: stimuli (`stimuli/<folder>/<category>/<file>.png`),
 * human trials (`human/<dataset>/*.csv`), and a model's decisions on the stimuli (run here, or read
 * from recorded trial CSVs).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type CategoryMapping,
  CIFAR10_TO_HUMAN16,
  cueConflictCategories,
  decideCategory,
  human16Mapping,
  normaliseDataset,
  parseTrials,
  stimulusName,
  type Trial,
  TrialParseError,
} from '@alignscope/behavior';
import { InputError } from '../errors.ts';
import { labelSpaceName } from '../models/card.ts';
import { classify } from './classify.ts';
import { stratifiedSubset } from './subset.ts';
import type { BenchmarkContext, DecisionSource, EvalModel, Timings } from './types.ts';

export type StimulusDataset = 'cue-conflict' | 'edge' | 'silhouette';

const STIMULUS_FOLDERS: Record<StimulusDataset, string> = {
  'cue-conflict': 'cue-conflict',
  edge: 'edges',
  silhouette: 'silhouettes',
};

export type Stimulus = { file: string; name: string; category: string };

/** The stimuli of a data set, sorted by category and file name. */
export function listStimuli(dataDir: string, dataset: StimulusDataset): Stimulus[] {
  const root = path.join(dataDir, 'stimuli', STIMULUS_FOLDERS[dataset]);
  if (!existsSync(root))
    throw new InputError(`stimuli not found: ${root} (is the data directory the AlignScope data bundle?)`);
  const out: Stimulus[] = [];
  for (const category of readdirSync(root).sort()) {
    const dir = path.join(root, category);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (/\.(png|jpe?g)$/i.test(name)) out.push({ file: path.join(dir, name), name, category });
    }
  }
  if (out.length === 0) throw new InputError(`no stimuli in ${root}`);
  return out;
}

/** Human subjects' trials of a data set, one array per subject file (sorted). */
/** The human subject files of a data set (sorted), at least two. */
export function humanTrialFiles(dataDir: string, dataset: string): string[] {
  const dir = path.join(dataDir, 'human', normaliseDataset(dataset));
  if (!existsSync(dir)) throw new InputError(`human trial data not found: ${dir}`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  if (files.length < 2)
    throw new InputError(`${dir}: need at least two human subject files, found ${files.length}`);
  return files.map((f) => path.join(dir, f));
}

export function readTrialFile(file: string): Trial[] {
  try {
    return parseTrials(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof TrialParseError) throw new InputError(e.message);
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The category mapping for a model's label space (ImageNet-1k -> 16 from the bundle, CIFAR-10 -> 7). */
export function categoryMapping(dataDir: string, labelSpace: 'imagenet-1k' | 'cifar-10'): CategoryMapping {
  if (labelSpace === 'cifar-10') return CIFAR10_TO_HUMAN16;
  const file = path.join(dataDir, 'imagenet', 'human16.json');
  if (!existsSync(file)) throw new InputError(`16-category mapping not found: ${file}`);
  return human16Mapping(JSON.parse(readFileSync(file, 'utf8')));
}

/** Whether a stimulus counts under a mapping: its category (and for cue-conflict its texture) is mapped. */
export function stimulusInMapping(dataset: StimulusDataset, s: Stimulus, mapping: CategoryMapping): boolean {
  const cats = new Set(mapping.categories);
  if (!cats.has(s.category)) return false;
  return dataset !== 'cue-conflict' || cats.has(cueConflictCategories(s.name).texture);
}

/**
 * The categories of a data set's stimuli under a label space's mapping: the strata of a `--limit`
 * subset (stratifiedSubset gives each its share of the limit, so a limit below their number leaves
 * categories out).
 */
export function stimulusCategories(
  dataDir: string,
  dataset: StimulusDataset,
  labelSpace: 'imagenet-1k' | 'cifar-10',
): string[] {
  const mapping = categoryMapping(dataDir, labelSpace);
  const cats = listStimuli(dataDir, dataset)
    .filter((s) => stimulusInMapping(dataset, s, mapping))
    .map((s) => s.category);
  return [...new Set(cats)].sort();
}

export type StimulusDecisions = {
  /** The model's trials (model-vs-human format: object_response = decision, category = true category). */
  trials: Trial[];
  mapping: string;
  timings: Timings;
  skipped: { file: string; error: string }[];
  /** The stimuli the model was run on, in order, with their (shape) category. */
  stimuli: { file: string; label: string }[];
  /** True when another benchmark of the same evaluation computed these decisions (timings are its). */
  shared?: boolean;
};

/**
 * The model's category decisions on a data set's stimuli under `labelSpace`'s mapping (only stimuli
 * whose categories map). Computed once per evaluation (ctx.cache). 224x224 stimuli are fed as they are
 * to models with a 224x224 input (the cue-conflict protocol); otherwise the card's preprocessing applies.
 */
export function stimulusDecisions(
  model: EvalModel,
  dataset: StimulusDataset,
  labelSpace: 'imagenet-1k' | 'cifar-10',
  ctx: BenchmarkContext,
): Promise<StimulusDecisions> {
  const key = `stimulus-decisions:${dataset}:${labelSpace}`;
  const cached = ctx.cache.get(key) as Promise<StimulusDecisions> | undefined;
  if (cached) return cached.then((d) => ({ ...d, shared: true }));
  const p = computeDecisions(model, dataset, labelSpace, ctx);
  ctx.cache.set(key, p);
  return p;
}

async function computeDecisions(
  model: EvalModel,
  dataset: StimulusDataset,
  labelSpace: 'imagenet-1k' | 'cifar-10',
  ctx: BenchmarkContext,
): Promise<StimulusDecisions> {
  const onnx = model.onnx;
  if (!onnx) throw new Error('stimulusDecisions needs an ONNX model');
  const mapping = categoryMapping(ctx.dataDir, labelSpace);
  let stimuli = listStimuli(ctx.dataDir, dataset).filter((s) => stimulusInMapping(dataset, s, mapping));
  if (ctx.limit !== undefined)
    stimuli = stratifiedSubset(stimuli, ctx.limit, ctx.limitSeed ?? 0, (s) => s.category);
  const trials: Trial[] = [];
  const outcome = await classify(
    onnx,
    stimuli,
    ctx,
    { phase: `${dataset} stimuli`, asIsAtInputSize: true },
    (s, logits) => {
      trials.push({
        subj: model.identifier,
        session: '1',
        trial: trials.length + 1,
        rt: null,
        objectResponse: decideCategory(logits, mapping).category,
        category: s.category,
        condition: '0',
        imagename: s.name,
      });
    },
  );
  return {
    trials,
    mapping: mapping.name,
    timings: outcome.timings,
    skipped: outcome.skipped.map((s) => ({ file: s.item.file, error: s.error })),
    stimuli: stimuli.map((s) => ({ file: s.file, label: s.category })),
  };
}

/** The label space of a runnable model, if the behavioral benchmarks support it. */
export function behavioralLabelSpace(model: EvalModel): 'imagenet-1k' | 'cifar-10' | null {
  if (!model.card) return null;
  const ls = labelSpaceName(model.card);
  return ls === 'imagenet-1k' || ls === 'cifar-10' ? ls : null;
}

const FILE_PREFIXES: Record<string, string[]> = {
  'cue-conflict': ['cue-conflict_', 'style-transfer-512-nomask-experiment_'],
};

function walkCsv(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkCsv(p, out);
    else if (e.name.endsWith('.csv')) out.push(p);
  }
  return out;
}

/**
 * Recorded decisions: a trial CSV, or a folder searched for `<dataset>_<model>_session*.csv`
 * (model-vs-human naming; texture-vs-shape's `style-transfer-512-nomask-experiment_<model>_...` counts
 * as cue-conflict). In a folder with several models' files, the one naming `model` is taken.
 */
export function decisionSource(p: string, model: string): DecisionSource {
  if (!existsSync(p)) throw new InputError(`decisions not found: ${p}`);
  const isDir = statSync(p).isDirectory();
  return {
    path: p,
    async trialsFor(dataset: string) {
      const ds = normaliseDataset(dataset);
      if (!isDir) return { file: p, trials: readTrialFile(p) };
      const prefixes = FILE_PREFIXES[ds] ?? [`${ds}_`];
      const candidates = walkCsv(p).filter((f) => prefixes.some((pre) => path.basename(f).startsWith(pre)));
      let chosen = candidates;
      if (candidates.length > 1) {
        const m = model.toLowerCase();
        chosen = candidates.filter((f) => {
          const base = path.basename(f).toLowerCase();
          return prefixes.some((pre) => base.startsWith(`${pre}${m}_session`));
        });
      }
      if (chosen.length !== 1) {
        throw new InputError(
          `decisions for ${ds}: ${chosen.length === 0 ? 'no' : 'more than one'} trial CSV for model ${model} under ${p}` +
            ` (expected ${prefixes[0]}${model}_session-1.csv)`,
        );
      }
      const file = chosen[0] as string;
      return { file, trials: readTrialFile(file) };
    },
  };
}

/** Restricts trials to the given stimulus names (e.g. the images a CIFAR-10 mapping covers). */
export function trialsOnStimuli(trials: readonly Trial[], names: ReadonlySet<string>): Trial[] {
  return trials.filter((t) => names.has(stimulusName(t.imagename)));
}
