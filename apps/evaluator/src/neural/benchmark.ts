/**
 * A neural benchmark run: the model's activations on the assembly's stimuli, layer commitment on one half
 * of the stimuli and the metric with its ceiling on the other (or a named layer on all stimuli), as
 * Brain-Score's NeuralBenchmark with LayerSelection (see @alignscope/neural's commitment.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type CeilingConvention,
  ceiledScores,
  commitAndScore,
  defaultSplits,
  type NeuralMetric,
  neuralMetric,
  PLS_DEFAULTS,
  SPLIT_DEFAULTS,
  shuffleSplits,
  splitHalfCeiling,
  type Trials,
} from '@alignscope/neural';
import { parse } from 'csv-parse/sync';
import type { BenchmarkContext, BenchmarkResult, EvalModel, NeuralSettings } from '../benchmarks/types.ts';
import { InputError } from '../errors.ts';
import { candidateLayers, extractActivations } from './activations.ts';
import { type Assembly, regionNeuroids, toStimulusResponses } from './assembly.ts';
import { parseResponsesCsv } from './csv.ts';
import { readNetcdfAssembly } from './netcdf.ts';

export async function readAssembly(
  file: string,
  s: Pick<NeuralSettings, 'variable' | 'timeBin'> = {},
): Promise<Assembly> {
  if (!existsSync(file)) throw new InputError(`assembly ${file}: no such file`);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return parseResponsesCsv(readFileSync(file, 'utf8'), file);
  if (ext === '.nc' || ext === '.h5' || ext === '.hdf5' || ext === '.nc4') {
    return readNetcdfAssembly(file, { variable: s.variable, timeBin: s.timeBin });
  }
  throw new InputError(`assembly ${file}: unknown format "${ext}" (expected .nc/.h5 NetCDF4/HDF5 or .csv)`);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const IMAGE = /\.(png|jpe?g|webp|bmp|tiff?)$/i;

/** The image file of every stimulus id, from a folder (<id>.<ext>) or a CSV (stimulus_id,filename). */
export function stimulusFiles(ids: string[], where: string): string[] {
  if (!existsSync(where))
    throw new InputError(`stimuli ${where}: no such file or folder (name it with --stimuli)`);
  const byId = new Map<string, string>();
  if (statSync(where).isDirectory()) {
    for (const f of readdirSync(where))
      if (IMAGE.test(f)) byId.set(f.replace(/\.[^.]+$/, ''), path.join(where, f));
  } else {
    let rows: Record<string, string>[];
    try {
      rows = parse(readFileSync(where, 'utf8'), {
        bom: true,
        columns: true,
        skip_empty_lines: true,
        trim: true,
      });
    } catch (e) {
      throw new InputError(`${where}: malformed CSV: ${(e as Error).message}`);
    }
    for (const r of rows) {
      if (r.stimulus_id === undefined || r.filename === undefined) {
        throw new InputError(`${where}: expected a header with stimulus_id and filename`);
      }
      byId.set(r.stimulus_id, path.resolve(path.dirname(where), r.filename));
    }
  }
  return ids.map((id) => {
    const f = byId.get(id);
    if (!f) throw new InputError(`stimuli ${where}: no image for stimulus "${id}"`);
    return f;
  });
}

function subsetTrials(t: Trials, rows: readonly number[]): Trials {
  const per = t.neuroids * t.repetitions;
  const values = new Float64Array(rows.length * per);
  rows.forEach((r, i) => {
    values.set(t.values.subarray(r * per, (r + 1) * per), i * per);
  });
  return { ...t, stimuli: rows.length, values };
}

export type NeuralBenchmarkSpec = { identifier: string; region: string; metric: NeuralMetric };

export async function runNeuralBenchmark(
  spec: NeuralBenchmarkSpec,
  model: EvalModel,
  ctx: BenchmarkContext,
): Promise<BenchmarkResult> {
  const s = ctx.neural;
  if (!s?.assembly) {
    const data = spec.identifier.slice(0, spec.identifier.lastIndexOf('.'));
    throw new InputError(
      `${spec.identifier} needs recorded responses: --assembly <file.nc|file.csv>, or an assembly registered as ${data} (alignscope assemblies add <file> --identifier ${data})`,
    );
  }
  if (!model.onnx || !model.card) throw new InputError(`${spec.identifier} needs an ONNX model`);
  const t0 = performance.now();
  const assembly = await readAssembly(s.assembly, s);
  const neuroids = assembly.region ? regionNeuroids(assembly, spec.region) : null;
  const responses = toStimulusResponses(assembly, neuroids ? { neuroids } : {});
  const n = ctx.limit ? Math.min(ctx.limit, responses.stimulusIds.length) : responses.stimulusIds.length;
  const ids = responses.stimulusIds.slice(0, n);
  const stimuliSource = s.stimuli ?? path.join(path.dirname(s.assembly), 'stimuli');
  const files = stimulusFiles(ids, stimuliSource);
  const seed = s.seed ?? SPLIT_DEFAULTS.seed;
  const layers = s.layer ? [s.layer] : (s.layers ?? candidateLayers(model.onnx.file).map((l) => l.name));
  if (layers.length === 0)
    throw new InputError(`${model.onnx.file}: no candidate layers found; name one with --layer`);
  const reduction = { pool: s.pool ?? false, project: s.project ? { dim: s.project, seed } : null };
  const tAct = performance.now();
  const acts = await extractActivations({
    modelFile: model.onnx.file,
    card: model.card,
    layers,
    files,
    batchSize: ctx.batchSize,
    reduction,
    onProgress: (done, total) => ctx.progress({ phase: 'activations', done, total }),
  });
  const activationMs = performance.now() - tAct;
  const strata = responses.objectNames?.slice(0, n);
  const averaged = {
    ...responses.averaged,
    rows: n,
    data: responses.averaged.data.subarray(0, n * responses.averaged.cols),
  };
  let chosen: string;
  let candidates: { layer: string; score: number }[] = [];
  let reportRows: number[];
  let result: ReturnType<typeof neuralMetric>;
  let commitRows: number[] = [];
  const components = PLS_DEFAULTS.components;
  const onProgress = (phase: string, done: number, total: number) => ctx.progress({ phase, done, total });
  const only = acts.length === 1 ? acts[0] : undefined;
  if (only) {
    chosen = only.layer;
    reportRows = Array.from({ length: n }, (_, i) => i);
    const splits = defaultSplits(spec.metric, n, { seed, strata });
    result = neuralMetric({
      metric: spec.metric,
      features: only.features,
      responses: averaged,
      splits,
      components,
      onProgress,
    });
  } else {
    // Brain-Score commits layers on separate public data; here one seeded (stratified) half of the
    // assembly's stimuli chooses the layer and the other half is reported.
    const [half] = shuffleSplits({ n, splits: 1, trainSize: 0.5, seed, strata });
    if (!half) throw new Error('no commitment split');
    commitRows = half.train;
    reportRows = half.test;
    const out = commitAndScore({
      layers: acts.map((a) => ({ layer: a.layer, features: a.features })),
      responses: averaged,
      commitRows,
      reportRows,
      metric: spec.metric,
      seed,
      strata,
      components,
      onProgress,
    });
    chosen = out.committed.layer;
    candidates = out.candidates;
    result = out.result;
  }
  const ceiling = splitHalfCeiling(subsetTrials(responses.trials, reportRows), { seed });
  const regression = spec.metric === 'pls' || spec.metric === 'ridge';
  const both = ceiling.value !== null && regression ? ceiledScores(result.raw, ceiling.value) : null;
  const convention: CeilingConvention = s.convention ?? 'squared-ratio';
  const ceiled = both ? (convention === 'squared-ratio' ? both.squaredRatio : both.explainedVariance) : null;
  const layerInfo = acts.find((a) => a.layer === chosen);
  return {
    raw: result.raw,
    ceiled,
    error: result.error,
    // No interval method for neural predictivity yet (issue 13 covers accuracies and behavior): said so.
    interval: { low: null, high: null, method: 'none: no interval method for neural benchmarks yet' },
    ceiling: ceiling.value,
    imageCount: reportRows.length,
    configuration: {
      assembly: path.resolve(s.assembly),
      assemblySha256: await sha256File(s.assembly),
      assemblyAttributes: assembly.attributes,
      stimuli: path.resolve(stimuliSource),
      region: spec.region,
      regionSelected: assembly.region !== null,
      metric: spec.metric,
      ...(regression && spec.metric === 'pls' ? { plsComponents: components, plsScale: false } : {}),
      seed,
      splits: `${regression ? '10 x 90/10' : '10 x 90% kept'}, seeded xoshiro128** (not numpy's stream)${strata ? ', stratified by object_name' : ''}`,
      ceilingConvention: convention,
      layer: chosen,
      layerCommitment:
        acts.length > 1
          ? 'seeded half of the stimuli (the other half reported)'
          : 'named layer, no commitment',
      reduction,
      ...(s.timeBin !== undefined ? { timeBin: s.timeBin } : {}),
    },
    artifacts: {
      perSplit: result.perSplit,
      ...(result.undefinedNeuroids ? { undefinedNeuroids: result.undefinedNeuroids } : {}),
      ...(result.alphas ? { alphas: result.alphas } : {}),
      ceiling:
        ceiling.value === null
          ? { value: null, reason: ceiling.reason }
          : { value: ceiling.value, error: ceiling.error, perSplit: ceiling.perSplit },
      ceiled: both,
      committedLayer: chosen,
      commitmentScores: candidates,
      commitmentStimuli: commitRows.length,
      reportStimuli: reportRows.length,
      neuroids: responses.neuroidIds.length,
      repetitions: responses.trials.repetitions,
      layerShape: layerInfo?.shape ?? null,
      features: layerInfo?.features.cols ?? null,
    },
    timings: { decodeMs: 0, inferenceMs: activationMs, wallMs: performance.now() - t0 },
  };
}
