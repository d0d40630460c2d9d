/**
 * `trials`: model-vs-human style trial CSVs of a model (`subj,session,trial,rt,object_response,
 * category,condition,imagename`; bethgelab/model-vs-human `raw-data/<dataset>/`, rgeirhos/
 * texture-vs-shape), scored with @alignscope/behavior against the human trials of the same data set:
 * - every data set: error consistency with the human observers (Geirhos2021<dataset>-error_consistency;
 *   Brain-Score's convention: kappa per subject and condition, abs() of the mean, ceiled by the mean
 *   human-human kappa) and top-1 accuracy (Geirhos2021<dataset>-top1);
 * - cue-conflict: shape bias and shape match (Hermann2020cueconflict-shape_bias / -shape_match),
 *   same-category images excluded.
 * The data set is the file's folder (`<dataset>/<dataset>_<model>_session-1.csv`); the texture-vs-
 * shape style-transfer experiment is cue-conflict. Human subject files in a folder are skipped.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  clopperPearson,
  clopperPearsonMethod,
  type Interval,
  trialBootstrapMethod,
} from '@alignscope/analysis';
import {
  errorConsistency,
  errorConsistencyIntervals,
  normaliseDataset,
  parseTrials,
  shapeBias,
  shapeBiasIntervals,
  type Trial,
  TrialParseError,
} from '@alignscope/behavior';
import { loadConfig } from '@alignscope/config';
import type { ScoreInterval } from '../benchmarks/types.ts';
import { placeUnknownBenchmark } from './brainscore-names.ts';
import { type FileContext, type Importer, RowError } from './common.ts';
import { findFiles, SourceError } from './files.ts';
import { MAX_JSON_BYTES } from './json.ts';

/** The 17 model-vs-human data sets (folder names). */
export const MVH_DATASETS = [
  'colour',
  'contrast',
  'cue-conflict',
  'edge',
  'eidolonI',
  'eidolonII',
  'eidolonIII',
  'false-colour',
  'high-pass',
  'low-pass',
  'phase-scrambling',
  'power-equalisation',
  'rotation',
  'silhouette',
  'sketch',
  'stylized',
  'uniform-noise',
] as const;

/** The model-vs-human data set of a trial file, from its folder (undefined when not one of them). */
export function datasetOf(file: string): string | undefined {
  const folder = path.basename(path.dirname(file));
  if (folder.startsWith('style-transfer-512-nomask-experiment')) return 'cue-conflict';
  return MVH_DATASETS.find((d) => d.toLowerCase() === folder.toLowerCase());
}

/** Brain-Score's spelling of a data set in identifiers (`cue-conflict` -> `cueconflict`). */
const bsName = (dataset: string) => dataset.replace(/-/g, '');

function humanDir(ctx: FileContext): string {
  return ctx.options.humanDir ?? path.join(loadConfig().dataDir, 'human');
}

const humanCache = new Map<string, Trial[][]>();

async function humanTrials(dir: string, dataset: string): Promise<Trial[][]> {
  const key = `${dir}\u0000${dataset}`;
  const cached = humanCache.get(key);
  if (cached) return cached;
  const folder = path.join(dir, dataset);
  let files: string[];
  try {
    files = await findFiles(folder, (n) => n.endsWith('.csv'));
  } catch {
    throw new RowError(null, `no human trials for ${dataset}: ${folder} does not exist (set --human)`);
  }
  if (files.length < 2) {
    throw new RowError(
      null,
      `error consistency needs at least two human subjects; ${folder} has ${files.length}`,
    );
  }
  const subjects: Trial[][] = [];
  for (const f of files) {
    try {
      subjects.push(parseTrials(await readFile(f, 'utf8'), path.basename(f)));
    } catch (e) {
      throw new RowError(null, `human trials: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  humanCache.set(key, subjects);
  return subjects;
}

/** A TrialParseError as a RowError at its line. */
function rowErrorOf(e: TrialParseError): RowError {
  return new RowError(e.line, e.problem);
}

/** A bootstrap interval as stored with a score (null bounds when no resample was defined). */
function bootstrapInterval(
  iv: Interval | null,
  settings: { resamples: number; seed: number; level: number },
): ScoreInterval {
  return { low: iv?.low ?? null, high: iv?.high ?? null, method: trialBootstrapMethod(settings) };
}

async function importTrials(ctx: FileContext): Promise<void> {
  const file = ctx.source.path;
  const dataset = datasetOf(file);
  if (!dataset) {
    throw new RowError(
      null,
      `cannot tell the data set: trial files live in a folder named after one of ${MVH_DATASETS.join(', ')}`,
    );
  }
  // Trial files are small (at most a few thousand trials) and are read whole, within a limit.
  const size = (await stat(file)).size;
  if (size > MAX_JSON_BYTES) {
    throw new RowError(null, `trial file of ${size} bytes is larger than the ${MAX_JSON_BYTES}-byte limit`);
  }
  let trials: Trial[];
  try {
    trials = parseTrials(await readFile(file, 'utf8'), ctx.name);
  } catch (e) {
    if (e instanceof TrialParseError) throw rowErrorOf(e);
    throw e;
  }
  const subj = trials[0]?.subj ?? '';
  const other = trials.findIndex((t) => t.subj !== subj);
  if (other >= 0) {
    throw new RowError(other + 2, `trials of more than one observer ("${subj}", "${trials[other]?.subj}")`);
  }
  const humans = await humanTrials(humanDir(ctx), dataset);
  const scores: {
    identifier: string;
    raw: number;
    ceiled: number | null;
    ceiling?: number;
    error?: number;
    interval: ScoreInterval;
  }[] = [];
  let ec: ReturnType<typeof errorConsistency>;
  let ecIv: ReturnType<typeof errorConsistencyIntervals>;
  try {
    const opts = { dataset: normaliseDataset(dataset), convention: 'brain-score' as const };
    ec = errorConsistency(trials, humans, opts);
    ecIv = errorConsistencyIntervals(trials, humans, opts);
  } catch (e) {
    throw new RowError(null, `error consistency: ${e instanceof Error ? e.message : String(e)}`);
  }
  scores.push({
    identifier: `Geirhos2021${bsName(dataset)}-error_consistency`,
    raw: ec.raw,
    ceiled: ec.ceiled,
    ceiling: ec.ceiling,
    error: ec.error,
    interval: bootstrapInterval(ecIv.ceiled, ecIv),
  });
  const correct = trials.filter((t) => t.objectResponse === t.category).length;
  const top1 = correct / trials.length;
  scores.push({
    identifier: `Geirhos2021${bsName(dataset)}-top1`,
    raw: top1,
    ceiled: top1,
    interval: { ...clopperPearson(correct, trials.length), method: clopperPearsonMethod() },
  });
  let sb: ReturnType<typeof shapeBias> | undefined;
  let sbIv: ReturnType<typeof shapeBiasIntervals> | undefined;
  if (dataset === 'cue-conflict') {
    try {
      const decisions = trials.map((t) => ({ imagename: t.imagename, decision: t.objectResponse }));
      sb = shapeBias(decisions);
      sbIv = shapeBiasIntervals(decisions);
    } catch (e) {
      throw new RowError(null, `shape bias: ${e instanceof Error ? e.message : String(e)}`);
    }
    scores.push({
      identifier: 'Hermann2020cueconflict-shape_bias',
      raw: sb.shapeBias,
      ceiled: sb.shapeBias,
      interval: bootstrapInterval(sbIv.shapeBias, sbIv),
    });
    scores.push({
      identifier: 'Hermann2020cueconflict-shape_match',
      raw: sb.shapeMatch,
      ceiled: sb.shapeMatch,
      interval: bootstrapInterval(sbIv.shapeMatch, sbIv),
    });
  }
  const model = await ctx.model({
    identifier: subj,
    displayName: subj,
    metadata: { trials: { source: 'model-vs-human trial data' } },
  });
  for (const s of scores) {
    let bench = await ctx.benchmark(s.identifier);
    if (!bench) {
      const entries = placeUnknownBenchmark(s.identifier);
      if (!entries) throw new Error(`no tree position for ${s.identifier}`);
      for (const e of entries) {
        const r = await ctx.ensureBenchmark(e);
        if (r.created) ctx.note(null, `created benchmark ${e.identifier} under ${e.parent}`);
      }
      bench = await ctx.benchmark(s.identifier);
    }
    if (!bench) throw new Error(`benchmark ${s.identifier} is missing`);
    const valid = Number.isFinite(s.raw);
    await ctx.score(
      valid
        ? {
            modelId: model.id,
            benchmark: bench,
            status: 'scored',
            rawValue: s.raw,
            ceiledValue: s.ceiled !== null && Number.isFinite(s.ceiled) ? s.ceiled : null,
            ceiling: s.ceiling ?? null,
            error: s.error !== undefined && Number.isFinite(s.error) ? s.error : null,
            ciLow: s.interval.low,
            ciHigh: s.interval.high,
            ciMethod: s.interval.method,
          }
        : { modelId: model.id, benchmark: bench, status: 'failed' },
    );
  }
  Object.assign(ctx.details, {
    model: subj,
    dataset,
    trials: trials.length,
    humanSubjects: humans.length,
    errorConsistency: {
      convention: 'brain-score',
      raw: ec.raw,
      ceiling: ec.ceiling,
      ceiled: ec.ceiled,
      perSubject: ec.perSubject.map((s, i) => ({ ...s, interval: ecIv.perSubject[i]?.interval ?? null })),
      conditions: ec.conditions,
      interval: { raw: ecIv.raw, ceiled: ecIv.ceiled, resamples: ecIv.resamples, seed: ecIv.seed },
    },
    top1,
    ...(sb ? { shapeBias: sb } : {}),
  });
}

async function trialSources(target: string) {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(target);
  } catch {
    throw new SourceError(`no such file or folder: ${target}`);
  }
  if (st.isFile()) return [{ path: target, files: [target] }];
  const files = await findFiles(target, (n) => n.endsWith('.csv') && !/_subject-\d+_/.test(n));
  const usable = files.filter(
    (f) => !f.split(path.sep).includes('performances') && datasetOf(f) !== undefined,
  );
  if (usable.length === 0) throw new SourceError(`no model trial CSV files under ${target}`);
  return usable.map((f) => ({ path: f, files: [f] }));
}

export const trials: Importer = {
  kind: 'trials',
  version: '1.0.0',
  description: 'model-vs-human trial CSVs of models, scored against the human trials (--human <folder>)',
  sources: trialSources,
  importSource: importTrials,
  inputs: async (options) => ({ human: options.humanDir ? path.basename(options.humanDir) : 'human' }),
};
