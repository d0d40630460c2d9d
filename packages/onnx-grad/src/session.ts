import * as ort from 'onnxruntime-node';
import { probeInput } from './differentiate.ts';
import { OnnxGradError } from './errors.ts';
import { buildLossModel, LOSS_IO, LOSS_KINDS, type LossKind, needsTarget } from './loss.ts';
import { type NchwcSession, nchwcSession } from './nchwc.ts';
import { parseModel } from './proto.ts';

export type GradientSessionOptions = {
  loss: LossKind;
  /**
   * onnxruntime execution provider (default 'cpu'; the bundled onnxruntime-node has only the CPU
   * one, others need their libraries installed). Session creation fails when it is not available.
   */
  executionProvider?: string;
  intraOpNumThreads?: number;
  /**
   * onnxruntime's graph optimisation level for the plain and the gradient sessions (default
   * 'extended'). 'all' adds the CPU provider's layout transformer (NchwcTransformer, blocked NCHWc
   * convolution kernels): faster, and the gradient's float32 rounding differs in the last places.
   */
  optimizationLevel?: 'extended' | 'all';
  /**
   * onnxruntime graph transformers to switch off by name (session config entry
   * `optimization.disable_specified_optimizers`).
   */
  disabledOptimizers?: readonly string[];
  /**
   * Further onnxruntime session config entries, by their full key (e.g.
   * `{ 'session.force_spinning_stop': '1' }`), for the plain and every gradient session.
   */
  configEntries?: Readonly<Record<string, string>>;
  /**
   * At level 'all' on the CPU: run the gradient graphs' elementwise nodes on onnxruntime's blocked
   * NCHWc layout (`nchwcSession`: fewer layout reorders, outputs checked bit-identical on a probe
   * batch), for input shapes run NCHWC_AFTER times or more (default true). false keeps onnxruntime's
   * own graphs.
   */
  nchwcElementwise?: boolean;
};

/**
 * onnxruntime-node's `extra` session option from flat config keys: `{ 'a.b': v }` becomes
 * `{ a: { b: v } }` (onnxruntime-common joins the nested keys with '.' again).
 */
export function sessionConfigExtra(entries: Readonly<Record<string, string>>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const parts = key.split('.');
    const leaf = parts.pop() as string;
    let node = extra;
    for (const part of parts) {
      if (node[part] === undefined) node[part] = {};
      const next = node[part];
      if (typeof next !== 'object' || next === null) {
        throw new OnnxGradError(`session config key '${key}' conflicts with another entry`);
      }
      node = next as Record<string, unknown>;
    }
    if (node[leaf] !== undefined)
      throw new OnnxGradError(`session config key '${key}' conflicts with another entry`);
    node[leaf] = value;
  }
  return extra;
}

/** Runs of one input shape after which its gradient graph gets the NCHWc rewrite (`nchwcSession`). */
export const NCHWC_AFTER = 200;

export type GradientResult = { logits: Float32Array; loss: Float32Array; grad: Float32Array };
export type ForwardResult = { logits: Float32Array; shape: number[] };

type Labels = Int32Array | BigInt64Array;

function toInt64(v: Labels, n: number, what: string): BigInt64Array {
  if (v.length !== n) throw new OnnxGradError(`${what} has ${v.length} entries for a batch of ${n}`);
  return v instanceof BigInt64Array ? v : BigInt64Array.from(v, (x) => BigInt(x));
}

function checkBatch(x: Float32Array, shape: number[]): number {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length < 1 || shape.some((d) => !Number.isInteger(d) || d < 1) || count !== x.length) {
    throw new OnnxGradError(`input of ${x.length} values does not match shape [${shape.join(', ')}]`);
  }
  return shape[0] as number;
}

/**
 * Runs a model and its loss gradient with onnxruntime-node (graphOptimizationLevel 'extended' unless
 * 'all' is asked for: see the README on what 'all' changes). Gradient graphs have static shapes, so
 * one is built per input shape (batch size), on first use of that shape.
 */
export class GradientSession {
  /** Gradient sessions by input shape (batch size and sample shape). */
  private readonly grads = new Map<string, Promise<ort.InferenceSession>>();
  /** What the NCHWc rewrite did to each gradient graph, by input shape. */
  readonly layouts = new Map<string, NchwcSession['layout']>();

  private constructor(
    private readonly model: Uint8Array,
    readonly loss: LossKind,
    private readonly options: ort.InferenceSession.SessionOptions,
    private readonly plain: ort.InferenceSession,
    /** Name of the model's image input. */
    readonly inputName: string,
    /** Name of the model's (first) output, the logits. */
    readonly outputName: string,
    /** Whether gradient graphs get the NCHWc rewrite (level 'all', CPU, not switched off). */
    private readonly nchwc: boolean,
  ) {}

  static async create(model: Uint8Array, opts: GradientSessionOptions): Promise<GradientSession> {
    if (!LOSS_KINDS.includes(opts.loss)) throw new OnnxGradError(`unknown loss '${String(opts.loss)}'`);
    const ep = opts.executionProvider ?? 'cpu';
    if (!['cpu', 'cuda', 'webgpu'].includes(ep)) {
      throw new OnnxGradError(`unknown execution provider '${String(ep)}'`);
    }
    const g = parseModel(model).graph;
    const inits = new Set(g?.initializer.map((t) => t.name));
    const input = g?.input.find((i) => !inits.has(i.name));
    const output = g?.output[0];
    if (!input || !output) throw new OnnxGradError('model needs an input and an output');
    const level = opts.optimizationLevel ?? 'extended';
    if (level !== 'extended' && level !== 'all') {
      throw new OnnxGradError(`unknown optimisation level '${String(level)}'`);
    }
    const disabled = opts.disabledOptimizers ?? [];
    const entries: Record<string, string> = { ...opts.configEntries };
    if (disabled.length > 0) {
      if (entries['optimization.disable_specified_optimizers'] !== undefined) {
        throw new OnnxGradError(
          "give the transformers to switch off either as disabledOptimizers or as the config entry 'optimization.disable_specified_optimizers', not both",
        );
      }
      entries['optimization.disable_specified_optimizers'] = disabled.join(',');
    }
    const options: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: level,
      executionProviders: [ep],
      ...(opts.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: opts.intraOpNumThreads }),
      ...(Object.keys(entries).length === 0 ? {} : { extra: sessionConfigExtra(entries) }),
    };
    const plain = await ort.InferenceSession.create(model, options);
    const nchwc = level === 'all' && ep === 'cpu' && opts.nchwcElementwise !== false;
    return new GradientSession(model, opts.loss, options, plain, input.name, output.name, nchwc);
  }

  /** Runs per input shape, and the loss graphs' bytes kept until their NCHWc rewrite. */
  private readonly runs = new Map<string, number>();
  private readonly bytes = new Map<string, Uint8Array>();
  /** Runs in flight per session, and sessions replaced by their rewrite, released once idle. */
  private readonly inflight = new Map<ort.InferenceSession, number>();
  private readonly retired = new Set<ort.InferenceSession>();

  /**
   * The gradient session of an input shape: onnxruntime's graph first; at the NCHWC_AFTER-th run of
   * the shape (level 'all', CPU) the NCHWc rewrite, which takes ~10x onnxruntime's own session to
   * build and saves a few per cent per call, so it is done only for shapes that are run many times
   * (outputs are bit-identical, so switching in the middle of an attack changes nothing but the time;
   * if the rewrite fails, onnxruntime's graph goes on and `layouts` says why).
   */
  private gradSession(shape: number[]): Promise<ort.InferenceSession> {
    const key = shape.join(',');
    let s = this.grads.get(key);
    if (!s) {
      const opts = { loss: this.loss, batchSize: shape[0] as number, inputShape: shape.slice(1) };
      s = buildLossModel(this.model, opts).then((bytes) => {
        if (this.nchwc) this.bytes.set(key, bytes);
        return ort.InferenceSession.create(bytes, this.options);
      });
      // A failed build is not cached, so the error is reported again on the next call.
      s.catch(() => this.grads.delete(key));
      this.grads.set(key, s);
    }
    const runs = (this.runs.get(key) ?? 0) + 1;
    this.runs.set(key, runs);
    const bytes = this.bytes.get(key);
    if (runs === NCHWC_AFTER && bytes) {
      this.bytes.delete(key);
      const before = s;
      s = (async () => {
        const old = await before;
        try {
          const made = await nchwcSession(bytes, this.options, this.probeFeeds(shape));
          this.layouts.set(key, made.layout);
          if (made.session !== old) this.retire(old);
          return made.session;
        } catch (e) {
          // the rewrite is only for speed: on any failure the graph onnxruntime made goes on
          const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
          this.layouts.set(key, { unchanged: `the rewrite failed (${why})` });
          return old;
        }
      })();
      this.grads.set(key, s);
    }
    return s;
  }

  private retire(session: ort.InferenceSession): void {
    if ((this.inflight.get(session) ?? 0) > 0) this.retired.add(session);
    else releaseQuietly(session);
  }

  /** A deterministic batch for the NCHWc rewrite's check: pseudo-random pixels, labels 0, targets 1. */
  private probeFeeds(shape: number[]): Record<string, ort.Tensor> {
    const n = shape[0] as number;
    const x = probeInput(shape.reduce((a, b) => a * b, 1));
    const feeds: Record<string, ort.Tensor> = {
      [LOSS_IO.x]: new ort.Tensor('float32', x, shape),
      [LOSS_IO.y]: new ort.Tensor('int64', new BigInt64Array(n), [n]),
    };
    if (needsTarget(this.loss))
      feeds[LOSS_IO.yTarget] = new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [n]);
    return feeds;
  }

  /**
   * Logits, per-sample loss and grad = d(sum of losses)/dx (so row i is d loss_i / d x_i) for a batch
   * x of the given shape (NCHW). y (and yTarget for 'dlr-targeted'/'logit-diff') are class indices.
   */
  async run(x: Float32Array, shape: number[], y: Labels, yTarget?: Labels): Promise<GradientResult> {
    const n = checkBatch(x, shape);
    const feeds: Record<string, ort.Tensor> = {
      [LOSS_IO.x]: new ort.Tensor('float32', x, shape),
      [LOSS_IO.y]: new ort.Tensor('int64', toInt64(y, n, 'y'), [n]),
    };
    if (needsTarget(this.loss)) {
      if (!yTarget) throw new OnnxGradError(`loss '${this.loss}' needs target classes (yTarget)`);
      feeds[LOSS_IO.yTarget] = new ort.Tensor('int64', toInt64(yTarget, n, 'yTarget'), [n]);
    }
    const session = await this.gradSession(shape);
    this.inflight.set(session, (this.inflight.get(session) ?? 0) + 1);
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await session.run(feeds);
    } finally {
      const left = (this.inflight.get(session) ?? 1) - 1;
      if (left > 0) this.inflight.set(session, left);
      else {
        this.inflight.delete(session);
        if (this.retired.delete(session)) releaseQuietly(session);
      }
    }
    const take = (name: string) => {
      const t = out[name];
      if (!t) throw new Error(`internal: missing output ${name}`);
      return t.data as Float32Array;
    };
    return { logits: take(LOSS_IO.logits), loss: take(LOSS_IO.loss), grad: take(LOSS_IO.grad) };
  }

  /** Logits of the plain model. */
  async forward(x: Float32Array, shape: number[]): Promise<ForwardResult> {
    checkBatch(x, shape);
    const out = await this.plain.run({ [this.inputName]: new ort.Tensor('float32', x, shape) }, [
      this.outputName,
    ]);
    const t = out[this.outputName];
    if (!t) throw new Error('internal: missing output');
    return { logits: t.data as Float32Array, shape: [...t.dims] };
  }

  async release(): Promise<void> {
    const all = [...this.grads.values()];
    this.grads.clear();
    this.bytes.clear();
    for (const r of this.retired) await r.release();
    this.retired.clear();
    await this.plain.release();
    for (const s of all) await (await s.catch(() => undefined))?.release();
  }
}

/** Releases a session replaced by its rewrite; a failure there must not stop the attack. */
function releaseQuietly(session: ort.InferenceSession): void {
  session.release().catch(() => undefined);
}

export function createGradientSession(
  model: Uint8Array,
  opts: GradientSessionOptions,
): Promise<GradientSession> {
  return GradientSession.create(model, opts);
}
