/**
 * Inference sessions over onnxruntime-node: one session per (model file, execution provider, thread
 * count), created once and reused. The input contract is checked against the card when the session is
 * opened: one float32 input [batch, 3, H, W] with fixed C, H, W equal to the card's input shape.
 */
import { realpathSync } from 'node:fs';
import { sessionThreadOptions } from '@alignscope/attacks/onnx';
import { loadConfig } from '@alignscope/config';
import ort from 'onnxruntime-node';
import { InputError } from '../errors.ts';
import { labelSpaceName, type ModelCard, numClasses } from './card.ts';

export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

export type OpenModelOptions = {
  /** Default: loadConfig().executionProvider (ALIGNSCOPE_EXECUTION_PROVIDER, cpu). */
  executionProvider?: ExecutionProvider;
  /** Intra-op threads (default: every core this process may use, `os.availableParallelism()`). */
  threads?: number;
};

export type LoadedModel = {
  file: string;
  card: ModelCard;
  session: ort.InferenceSession;
  inputName: string;
  outputName: string;
  /** [C, H, W] */
  inputShape: readonly [number, number, number];
  numClasses: number;
  /** A fixed batch size baked into the graph, or null when the batch dimension is dynamic. */
  fixedBatch: number | null;
  executionProvider: ExecutionProvider;
  threads: number | null;
  /** Runs n images (n*C*H*W floats, NCHW); returns the n*K logits. */
  run(data: Float32Array, n: number): Promise<Float32Array>;
};

/** The version of onnxruntime-node in use (recorded with runs). */
export const ORT_VERSION: string = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';

const cache = new Map<string, Promise<LoadedModel>>();

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]?.trim() ?? '';
}

async function create(file: string, card: ModelCard, ep: ExecutionProvider, threads: number | null) {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
      // every core unless asked (onnxruntime's own default was 1 thread on a 2-core VM), pool threads
      // that stop spinning when a run returns (sessionThreadOptions)
      ...sessionThreadOptions(threads ?? undefined),
      interOpNumThreads: 1,
    });
  } catch (e) {
    const msg = firstLine(e);
    if (ep !== 'cpu' && /provider|cuda|webgpu|backend/i.test(msg)) {
      throw new InputError(`execution provider ${ep} is not available here (${msg}); use cpu`);
    }
    throw new InputError(`${file} is not a loadable ONNX model: ${msg}`);
  }
  if (session.inputNames.length !== 1) {
    throw new InputError(`${file}: expected one image input, the model has ${session.inputNames.length}`);
  }
  if (session.outputNames.length < 1) throw new InputError(`${file}: the model has no output`);
  const inputName = session.inputNames[0] as string;
  const outputName = session.outputNames[0] as string;
  const meta = session.inputMetadata[0];
  const [C, H, W] = card.inputShape;
  let fixedBatch: number | null = null;
  if (meta?.isTensor) {
    if (meta.type !== 'float32')
      throw new InputError(`${file}: input ${inputName} is ${meta.type}, not float32`);
    const s = meta.shape;
    if (s.length !== 4) {
      throw new InputError(
        `${file}: input ${inputName} has shape [${s.join(', ')}]; expected [batch, 3, H, W]`,
      );
    }
    const chw = s.slice(1);
    if (chw.some((d) => typeof d !== 'number' || d < 0)) {
      throw new InputError(
        `${file}: input ${inputName} has a dynamic shape [${s.join(', ')}]; the evaluator needs fixed channels, height and width (export with a fixed image size)`,
      );
    }
    if (chw[0] !== C || chw[1] !== H || chw[2] !== W) {
      throw new InputError(
        `${file}: the model's input is [${s.join(', ')}] but the card says [batch, ${C}, ${H}, ${W}]`,
      );
    }
    if (typeof s[0] === 'number' && s[0] > 0) fixedBatch = s[0];
  }
  const K = numClasses(card);
  const model: LoadedModel = {
    file,
    card,
    session,
    inputName,
    outputName,
    inputShape: [C, H, W],
    numClasses: K,
    fixedBatch,
    executionProvider: ep,
    threads,
    async run(data, n) {
      if (data.length !== n * C * H * W) throw new Error(`run: ${data.length} floats for ${n} images`);
      const input = new ort.Tensor('float32', data, [n, C, H, W]);
      const out = await session.run({ [inputName]: input });
      const t = out[outputName];
      if (!t) throw new Error(`output ${outputName} missing`);
      const dims = t.dims;
      if (dims.length !== 2 || dims[0] !== n || dims[1] !== K) {
        throw new InputError(
          `${file}: output ${outputName} is [${dims.join(', ')}] for ${n} images; the card's label space ${labelSpaceName(card)} needs [${n}, ${K}]`,
        );
      }
      return t.data as Float32Array;
    },
  };
  return model;
}

/**
 * Opens (or reuses) the session of an ONNX model file described by `card`. InputError when the file
 * is not a loadable ONNX model, the provider is unavailable, or the input disagrees with the card.
 */
export function openModel(file: string, card: ModelCard, opts: OpenModelOptions = {}): Promise<LoadedModel> {
  const ep = opts.executionProvider ?? loadConfig().executionProvider;
  const threads = opts.threads ?? null;
  if (threads !== null && (!Number.isInteger(threads) || threads < 1)) {
    throw new InputError(`invalid thread count ${threads}`);
  }
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new InputError(`model file not found: ${file}`);
  }
  const key = `${real}\0${ep}\0${threads ?? ''}\0${JSON.stringify(card.inputShape)}\0${numClasses(card)}`;
  let p = cache.get(key);
  if (!p) {
    p = create(real, card, ep, threads);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Closes one model's session and forgets it (a model checked once, e.g. an upload). */
export async function releaseModel(model: LoadedModel): Promise<void> {
  for (const [key, p] of cache) {
    if ((await p.catch(() => undefined)) === model) cache.delete(key);
  }
  await model.session.release();
}

/** Closes every cached session (tests, end of a command). */
export async function closeModels(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    try {
      await (await p).session.release();
    } catch {
      // already failed or released
    }
  }
}

/**
 * Runs one dummy batch (zeros) and checks the output is [N, classes]; returns the output shape.
 * N is 2 (or the model's fixed batch size).
 */
export async function checkModel(model: LoadedModel): Promise<{ batch: number; outputShape: number[] }> {
  const [C, H, W] = model.inputShape;
  const n = model.fixedBatch ?? 2;
  const out = await model.run(new Float32Array(n * C * H * W), n);
  if (!out.every(Number.isFinite))
    throw new InputError(`${model.file}: the dummy batch gave non-finite outputs`);
  return { batch: n, outputShape: [n, model.numClasses] };
}
