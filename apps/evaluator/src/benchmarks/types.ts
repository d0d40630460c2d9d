/**
 * Benchmark plugins: how a benchmark is computed, registered against its definition (what it is:
 * identifier, version, tree, metric, label space; @alignscope/benchmarks), with a description of the
 * computation and run(model, ctx) -> {raw, ceiled, error, ceiling, artifacts}. One file per benchmark
 * (or family) in ./plugins, named as its definition file in packages/benchmarks/src/definitions.
 */
import type { Trial } from '@alignscope/behavior';
import type { BenchmarkDefinition } from '@alignscope/benchmarks';
import type { ModelCard } from '../models/card.ts';
import type { LoadedModel } from '../models/session.ts';

/** Recorded decisions of a model that is not run here (model-vs-human style trial CSVs). */
export type DecisionSource = {
  /** Where the decisions come from (a file or folder), recorded with the run. */
  path: string;
  /** The model's trials on a model-vs-human data set (`cue-conflict`, `edge`...). */
  trialsFor(dataset: string): Promise<{ file: string; trials: Trial[] }>;
};

/** What a benchmark evaluates: an ONNX model with its card, or recorded decisions. */
export type EvalModel = {
  identifier: string;
  card?: ModelCard;
  onnx?: LoadedModel;
  decisions?: DecisionSource;
};

export type Progress = {
  phase: string;
  done: number;
  total: number;
  /** Share of the whole benchmark done, in [0, 1], where it differs from done / total (staged work). */
  fraction?: number;
};

/** Saved state of a long benchmark (e.g. AutoAttack), so that a restarted job continues it. */
export type CheckpointStore = {
  /** The state saved by an earlier attempt of the same job, or null. */
  saved: unknown;
  /** Persists the state; rejects when the job may no longer write (the benchmark then stops). */
  save(state: unknown): Promise<void>;
};

/** Settings of the neural benchmarks (`alignscope evaluate --assembly ...`). */
export type NeuralSettings = {
  /**
   * A neural assembly: NetCDF4/HDF5 (.nc, .h5) as Brain-Score stores it, or the long CSV form. Without
   * it, the assembly registered under the benchmark's data name is used (with these other settings).
   */
  assembly?: string;
  /** The stimuli: a folder of <stimulus_id>.<ext> images or a CSV stimulus_id,filename (default: <assembly folder>/stimuli). */
  stimuli?: string;
  /** Score this layer (no commitment). */
  layer?: string;
  /** Candidate layers for the commitment (default: every candidate layer of the model). */
  layers?: string[];
  /** Spatial mean pooling of 4-D layer outputs. */
  pool?: boolean;
  /** Random projection of each layer to this many features. */
  project?: number;
  /** Seed of the splits, the commitment halves, the ceiling and the projection (Brain-Score's random_state is 1). */
  seed?: number;
  /** Which ceiled form is the stored score (both are recorded). */
  convention?: 'squared-ratio' | 'explained-variance';
  /** The data variable of a NetCDF file and the time bin to use. */
  variable?: string;
  timeBin?: number;
};

export type BenchmarkContext = {
  /** The data bundle (stimuli, human trials, sample images). */
  dataDir: string;
  batchSize: number;
  /** What to do with an image that fails to decode. */
  onImageError: 'fail' | 'skip';
  /** An image set (folder tree or manifest CSV) replacing the benchmark's default one. */
  images?: string;
  /**
   * Only n images of the image set (quick checks): a stratified subset drawn with `limitSeed`
   * (benchmarks/subset.ts). A limited run is partial: its value never becomes the stored score.
   */
  limit?: number;
  /** Seed of the `limit` subset (default 0), recorded with the run. */
  limitSeed?: number;
  progress(p: Progress): void;
  /** Neural benchmarks: the assembly and how to score it. */
  neural?: NeuralSettings;
  /** Shared between the benchmarks of one evaluation, so e.g. cue-conflict inference runs once. */
  cache: Map<string, Promise<unknown>>;
  /** Where a long benchmark saves its state (evaluation jobs); absent for a plain evaluate. */
  checkpoint?: CheckpointStore;
  /** Aborted when the work should stop (cancelled, timed out, worker shutting down). */
  signal?: AbortSignal;
};

export type ScoreInterval = { low: number | null; high: number | null; method: string };

export type Timings = { decodeMs: number; inferenceMs: number; wallMs: number };

/** The files a score was computed from, hashed into the run's provenance (evaluate/provenance.ts). */
export type ProvenanceInputs = {
  /** The images or stimuli, in the order used, with their labels. */
  images?: readonly { file: string; label?: string }[];
  /** Human trial files (behavioral scores). */
  humanTrialFiles?: readonly string[];
  /** Recorded model decisions read instead of running a model (`--decisions`). */
  decisionFiles?: readonly string[];
};

export type BenchmarkResult = {
  raw: number;
  ceiled: number | null;
  error: number | null;
  ceiling: number | null;
  /**
   * 95 % interval of the value (ceiled, else raw), computed with the score, and its method
   * (`clopper-pearson 95%`, or a trial bootstrap with its resamples and seed).
   */
  interval: ScoreInterval;
  /** Number of images (or trials) the score is based on. */
  imageCount: number;
  /** Settings that define the score (mapping, image set...), recorded in the run's configuration. */
  configuration: Record<string, unknown>;
  /** Details: per-image decisions, counts, per-subject values. */
  artifacts: Record<string, unknown>;
  timings?: Timings;
  /** What the score read, for the run's provenance. */
  inputs?: ProvenanceInputs;
};

export type BenchmarkPlugin = {
  /** What the plugin computes: its definition in @alignscope/benchmarks (the registry checks it is). */
  definition: BenchmarkDefinition;
  /** The definition's identifier. */
  identifier: string;
  /** The definition's version. */
  version: number;
  description: string;
  reference: string;
  /** The label space of the models it scores (`imagenet-1k`, `cifar-10`): the API refuses others. */
  labelSpace: string;
  /**
   * False for benchmarks that need inputs an evaluation job cannot carry (a neural assembly given
   * with `--assembly`): workers do not register them, so the API refuses requests for them.
   */
  queueable?: boolean;
  /**
   * Neural benchmarks: the name of the data (`MajajHong2015`); without `--assembly`, an assembly registered
   * under this identifier (`alignscope assemblies add <file> --identifier MajajHong2015`) is used.
   */
  assemblyName?: string;
  /**
   * The fewest images a limited run (`--limit`) may use, and why; absent: any limit of 1 or more (the
   * value is defined on any subset). A study refuses a smaller limit before it writes anything.
   */
  minLimit?(dataDir: string): { images: number; why: string };
  /** Why this benchmark cannot score `model` (wrong label space, no decisions...), or null. */
  unsupported(model: EvalModel): string | null;
  run(model: EvalModel, ctx: BenchmarkContext): Promise<BenchmarkResult>;
};

/** The fields a plugin takes from its definition. */
export function fromDefinition(
  definition: BenchmarkDefinition,
): Pick<BenchmarkPlugin, 'definition' | 'identifier' | 'version' | 'labelSpace'> {
  if (definition.scoredBy !== 'plugin' || !definition.labelSpace) {
    throw new Error(
      `benchmark ${definition.identifier} is not defined as scored by a plugin with a label space`,
    );
  }
  return {
    definition,
    identifier: definition.identifier,
    version: definition.version,
    labelSpace: definition.labelSpace,
  };
}

/** The label space of a classifier benchmark's definition (ImageNet or CIFAR-10). */
export function classifierLabelSpace(definition: BenchmarkDefinition): 'imagenet-1k' | 'cifar-10' {
  const ls = definition.labelSpace;
  if (ls !== 'imagenet-1k' && ls !== 'cifar-10') {
    throw new Error(
      `benchmark ${definition.identifier}: a classifier benchmark needs label space imagenet-1k or cifar-10, not ${ls}`,
    );
  }
  return ls;
}
