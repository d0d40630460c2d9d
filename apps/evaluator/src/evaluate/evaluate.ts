/**
 * `alignscope evaluate` as a function: resolve the model (registered identifier, ONNX file + card,
 * or recorded decisions), run the benchmark plugins, and write every result with its run (provenance)
 * through the queries layer. A failing benchmark is recorded as a failed run (with its error) and never
 * as scored; the other benchmarks still run.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { intraOpThreads, SESSION_CONFIG } from '@alignscope/attacks/onnx';
import { loadConfig, requireDataDir } from '@alignscope/config';
import type { Database } from '@alignscope/db';
import {
  ClaimLostError,
  completeEvaluationRun,
  createRun,
  ensureBenchmark,
  getAssembly,
  getBenchmark,
  type Model,
  resolveModel,
  type Transaction,
  upsertModel,
} from '@alignscope/db/queries';
import sharp from 'sharp';
import { benchmarkPlugins } from '../benchmarks/registry.ts';
import { decisionSource } from '../benchmarks/stimuli.ts';
import type {
  BenchmarkPlugin,
  CheckpointStore,
  EvalModel,
  NeuralSettings,
  Progress,
  ScoreInterval,
} from '../benchmarks/types.ts';
import { InputError } from '../errors.ts';
import { loadCard, type ModelCard, parseCard } from '../models/card.ts';
import { type ExecutionProvider, ORT_VERSION } from '../models/session.ts';
import { checkModelFile, modelFileFor, modelRow, storeModel } from '../models/store.ts';
import { VERSION } from '../version.ts';
import { provenanceOf } from './provenance.ts';

export type EvaluateOptions = {
  /** A registered model identifier or alias, or an ONNX file (with `card`). */
  model: string;
  /** Model card JSON for an ONNX file. */
  card?: string;
  /** Recorded decisions (trial CSV or folder) instead of running a model. */
  decisions?: string;
  benchmarks: string[];
  dataDir?: string;
  batchSize?: number;
  threads?: number;
  executionProvider?: ExecutionProvider;
  onImageError?: 'fail' | 'skip';
  /** An image set replacing the top-1 benchmarks' default one. */
  images?: string;
  /**
   * Only n images / stimuli, a stratified subset drawn with `limitSeed` (quick checks). The run is
   * partial: recorded with its subset and value, never stored as the benchmark's score.
   */
  limit?: number;
  /** Seed of the `limit` subset (default 0). */
  limitSeed?: number;
  /** Neural benchmarks: the assembly and how to score it. */
  neural?: NeuralSettings;
  progress?: (benchmark: string, p: Progress) => void;
  /** The study this evaluation belongs to (`name@version`), recorded in each run's configuration. */
  study?: string;
  /** ALIGNSCOPE_HOME of the local model store (default: the configuration's). */
  home?: string;
  /** Messages about fetching the model file (from the database's model store). */
  log?: (message: string) => void;
  /** Checkpoint store for the (single) long benchmark of an evaluation job. */
  checkpoint?: CheckpointStore;
  signal?: AbortSignal;
  /**
   * Runs inside the transaction that writes a benchmark's run and score; throwing rolls it back
   * (evaluation jobs: the job ends with its score, or the score is not written).
   */
  commitGuard?: (
    tx: Transaction,
    outcome: { status: 'succeeded' | 'failed'; runId: number },
  ) => Promise<void>;
  /** Called when a benchmark starts and ends (for messages). */
  onBenchmark?: (e: { benchmark: string; phase: 'start' | 'end'; record?: EvaluationRecord }) => void;
};

/** `settings` with the file (and stimuli, unless given) of the assembly registered under `name`. */
async function registeredAssembly(
  db: Database,
  name: string,
  settings: NeuralSettings | undefined,
): Promise<NeuralSettings | undefined> {
  const row = await getAssembly(db, name);
  if (!row) return settings;
  return { ...settings, assembly: row.path, stimuli: settings?.stimuli ?? row.stimuli ?? undefined };
}

export type EvaluationRecord = {
  model: string;
  benchmark: string;
  version: number;
  status: 'scored' | 'failed';
  raw: number | null;
  ceiled: number | null;
  error: number | null;
  ceiling: number | null;
  /** The value's interval and its method (null when the benchmark failed). */
  interval: ScoreInterval | null;
  imageCount: number | null;
  artifacts: Record<string, unknown>;
  configuration: Record<string, unknown>;
  timings: Record<string, number>;
  /** The error message of a failed benchmark. */
  message?: string;
  /** The run written to the database (absent with --no-db). */
  runId?: number;
  /**
   * What happened to the stored score: written, an earlier scored value kept after a failure, or
   * nothing (`partial`: a `--limit` run keeps its value with the run only).
   */
  stored?: 'scored' | 'failed' | 'kept' | 'partial';
};

type Resolved = {
  evalModel: EvalModel;
  /** Registration of an ONNX file given on the command line. */
  register?: { card: ModelCard; file: string; sha256: string; bytes: number };
  row?: Model;
  modelConfig: Record<string, unknown>;
};

function resolveDataDir(dir: string | undefined): string {
  if (dir !== undefined) {
    const p = path.resolve(dir);
    if (!existsSync(p) || !statSync(p).isDirectory()) throw new InputError(`data directory not found: ${p}`);
    return p;
  }
  return requireDataDir(loadConfig());
}

async function resolvePlugins(ids: string[]): Promise<BenchmarkPlugin[]> {
  if (ids.length === 0) throw new InputError('no benchmark given (--benchmark <identifier>[,...])');
  const all = await benchmarkPlugins();
  const out: BenchmarkPlugin[] = [];
  for (const id of ids) {
    const p = all.get(id);
    if (!p) {
      throw new InputError(
        `unknown benchmark "${id}"; the evaluator runs: ${[...all.keys()].sort().join(', ')}`,
      );
    }
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

const looksLikeFile = (s: string) =>
  /\.onnx$/i.test(s) || ((s.includes('/') || s.includes(path.sep)) && existsSync(s));

async function resolveModelInput(opts: EvaluateOptions, db: Database | null): Promise<Resolved> {
  const sessionOpts = { executionProvider: opts.executionProvider, threads: opts.threads };
  if (opts.card !== undefined || looksLikeFile(opts.model)) {
    if (opts.card === undefined)
      throw new InputError(`${opts.model} is a file: give its model card with --card <card.json>`);
    if (opts.decisions !== undefined)
      throw new InputError('--decisions cannot be combined with an ONNX file');
    const card = loadCard(opts.card);
    const file = path.resolve(opts.model);
    const checked = await checkModelFile(file, card, sessionOpts);
    return {
      evalModel: { identifier: card.name, card, onnx: checked.model },
      register: { card, file, sha256: checked.sha256, bytes: checked.bytes },
      modelConfig: { identifier: card.name, file, sha256: checked.sha256 },
    };
  }
  if (opts.decisions !== undefined) {
    const row = db ? await resolveModel(db, opts.model) : undefined;
    const identifier = row?.identifier ?? opts.model;
    return {
      evalModel: { identifier, decisions: decisionSource(path.resolve(opts.decisions), opts.model) },
      row,
      modelConfig: { identifier, decisions: path.resolve(opts.decisions) },
    };
  }
  if (!db) throw new InputError('--no-db needs the model as a file: --model <file.onnx> --card <card.json>');
  const row = await resolveModel(db, opts.model);
  if (!row)
    throw new InputError(`unknown model "${opts.model}" (register it with \`alignscope models add\`)`);
  if (!row.onnxPath || !row.card) {
    throw new InputError(
      `model ${row.identifier} has no ONNX file registered (add one with \`alignscope models add <file.onnx> --card <card.json>\`, or evaluate recorded decisions with --decisions)`,
    );
  }
  const file = await modelFileFor(db, row, { home: opts.home, log: opts.log });
  const card = parseCard(row.card, `of ${row.identifier} (stored)`);
  const checked = await checkModelFile(file, card, sessionOpts);
  if (row.onnxSha256 && checked.sha256 !== row.onnxSha256) {
    throw new InputError(
      `the stored ONNX file of ${row.identifier} changed (sha256 ${checked.sha256}, registered ${row.onnxSha256})`,
    );
  }
  return {
    evalModel: { identifier: row.identifier, card, onnx: checked.model },
    row,
    modelConfig: { identifier: row.identifier, file, sha256: checked.sha256 },
  };
}

function environment(m: EvalModel): Record<string, unknown> {
  return {
    evaluator: VERSION,
    onnxruntime: m.onnx ? ORT_VERSION : null,
    executionProvider: m.onnx?.executionProvider ?? null,
    // the intra-op threads the sessions ran with (the count asked for, else every core: intraOpThreads)
    // and their onnxruntime session config entries
    threads: m.onnx ? (m.onnx.threads ?? intraOpThreads()) : null,
    sessionConfig: m.onnx ? SESSION_CONFIG : null,
    sharp: sharp.versions.sharp,
    libvips: sharp.versions.vips,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
  };
}

/** Runs the benchmarks on the model; writes runs and scores unless `db` is null. */
export async function evaluate(opts: EvaluateOptions, db: Database | null): Promise<EvaluationRecord[]> {
  const dataDir = resolveDataDir(opts.dataDir);
  const plugins = await resolvePlugins(opts.benchmarks);
  const batchSize = opts.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InputError(`invalid batch size ${opts.batchSize}`);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
    throw new InputError(`invalid --limit ${opts.limit}`);
  }
  if (opts.limitSeed !== undefined && (!Number.isSafeInteger(opts.limitSeed) || opts.limitSeed < 0)) {
    throw new InputError(`invalid --limit-seed ${opts.limitSeed}`);
  }
  const partial = opts.limit !== undefined;
  const limitSeed = opts.limitSeed ?? 0;
  const resolved = await resolveModelInput(opts, db);
  const model = resolved.evalModel;
  for (const p of plugins) {
    const why = p.unsupported(model);
    if (why) throw new InputError(`${p.identifier} cannot evaluate ${model.identifier}: ${why}`);
  }

  // Register the model (and the benchmarks that are not in the seeded catalog) before any run.
  let modelRowId: number | undefined = resolved.row?.id;
  const benchmarkIds = new Map<string, number>();
  if (db) {
    if (resolved.register) {
      const r = resolved.register;
      const stored = await storeModel(db, r.file, r, opts.home);
      const { model: row } = await upsertModel(
        db,
        modelRow(r.card, { sha256: r.sha256, bytes: r.bytes, path: stored }),
      );
      modelRowId = row.id;
    } else if (modelRowId === undefined) {
      const { model: row } = await upsertModel(db, {
        identifier: model.identifier,
        displayName: model.identifier,
        metadata: { registeredBy: 'alignscope evaluate --decisions' },
      });
      modelRowId = row.id;
    }
    for (const p of plugins) {
      let b = await getBenchmark(db, p.identifier);
      if (!b) {
        // A seeded benchmark missing from the database means it was never set up.
        if (!p.definition.onFirstUse)
          throw new InputError(
            `benchmark ${p.identifier} is not in the database catalog (run \`alignscope db migrate\`)`,
          );
        b = await ensureBenchmark(db, p.definition);
      }
      if (b.version !== p.version) {
        throw new InputError(
          `benchmark ${p.identifier}: the database has version ${b.version}, this evaluator computes version ${p.version}`,
        );
      }
      benchmarkIds.set(p.identifier, b.id);
    }
  }

  const env = environment(model);
  const cache = new Map<string, Promise<unknown>>();
  const records: EvaluationRecord[] = [];
  for (const p of plugins) {
    opts.onBenchmark?.({ benchmark: p.identifier, phase: 'start' });
    const configuration: Record<string, unknown> = {
      benchmark: p.identifier,
      benchmarkVersion: p.version,
      model: resolved.modelConfig,
      dataDir,
      batchSize,
      onImageError: opts.onImageError ?? 'fail',
      ...(opts.images !== undefined ? { images: path.resolve(opts.images) } : {}),
      // Evaluator and bundle versions from the start; the scored inputs' hashes when it succeeds.
      provenance: provenanceOf(undefined, dataDir),
      ...(partial
        ? {
            limit: opts.limit,
            limitSeed,
            subset: 'stratified by class, seeded (benchmarks/subset.ts)',
            partial: true,
          }
        : {}),
      ...(opts.study !== undefined ? { study: opts.study } : {}),
    };
    const run =
      db && modelRowId !== undefined
        ? await createRun(db, {
            kind: 'evaluation',
            modelId: modelRowId,
            producer: 'alignscope evaluate',
            producerVersion: VERSION,
            configuration,
            environment: env,
          })
        : undefined;
    const t0 = performance.now();
    let record: EvaluationRecord;
    try {
      const r = await p.run(model, {
        dataDir,
        batchSize,
        onImageError: opts.onImageError ?? 'fail',
        images: opts.images !== undefined ? path.resolve(opts.images) : undefined,
        limit: opts.limit,
        limitSeed,
        neural:
          opts.neural?.assembly === undefined && db && p.assemblyName
            ? await registeredAssembly(db, p.assemblyName, opts.neural)
            : opts.neural,
        progress: (pr) => opts.progress?.(p.identifier, pr),
        cache,
        ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (!Number.isFinite(r.raw)) throw new InputError(`${p.identifier} produced no finite score`);
      const totalMs = performance.now() - t0;
      const timings: Record<string, number> = {
        totalMs,
        ...(r.timings
          ? {
              decodeMs: r.timings.decodeMs,
              inferenceMs: r.timings.inferenceMs,
              classifyWallMs: r.timings.wallMs,
              imagesPerSecond: r.imageCount / (r.timings.wallMs / 1000),
            }
          : {}),
      };
      record = {
        model: model.identifier,
        benchmark: p.identifier,
        version: p.version,
        status: 'scored',
        raw: r.raw,
        ceiled: r.ceiled,
        error: r.error,
        ceiling: r.ceiling,
        interval: r.interval,
        imageCount: r.imageCount,
        artifacts: r.artifacts,
        configuration: {
          ...configuration,
          ...r.configuration,
          imageCount: r.imageCount,
          provenance: provenanceOf(r.inputs, dataDir),
        },
        timings,
      };
      if (db && run && modelRowId !== undefined) {
        const out = await completeEvaluationRun(
          db,
          {
            partial,
            runId: run.id,
            modelId: modelRowId,
            benchmarkId: benchmarkIds.get(p.identifier) as number,
            benchmarkVersion: p.version,
            status: 'succeeded',
            value: { raw: r.raw, ceiled: r.ceiled, error: r.error, ceiling: r.ceiling, interval: r.interval },
            timings,
            artifacts: r.artifacts,
            configuration: record.configuration,
          },
          opts.commitGuard &&
            ((tx) => opts.commitGuard?.(tx, { status: 'succeeded', runId: run.id }) ?? Promise.resolve()),
        );
        record.runId = run.id;
        record.stored = out.written;
      }
    } catch (e) {
      // a job that lost its claim writes nothing more
      if (e instanceof ClaimLostError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const timings = { totalMs: performance.now() - t0 };
      record = {
        model: model.identifier,
        benchmark: p.identifier,
        version: p.version,
        status: 'failed',
        raw: null,
        ceiled: null,
        error: null,
        ceiling: null,
        interval: null,
        imageCount: null,
        artifacts: {},
        configuration,
        timings,
        message,
      };
      if (db && run && modelRowId !== undefined) {
        const out = await completeEvaluationRun(
          db,
          {
            partial,
            runId: run.id,
            modelId: modelRowId,
            benchmarkId: benchmarkIds.get(p.identifier) as number,
            benchmarkVersion: p.version,
            status: 'failed',
            error: e instanceof InputError ? message : e instanceof Error ? (e.stack ?? message) : message,
            timings,
          },
          opts.commitGuard &&
            ((tx) => opts.commitGuard?.(tx, { status: 'failed', runId: run.id }) ?? Promise.resolve()),
        );
        record.runId = run.id;
        record.stored = out.written;
      }
    }
    records.push(record);
    opts.onBenchmark?.({ benchmark: p.identifier, phase: 'end', record });
  }
  return records;
}
