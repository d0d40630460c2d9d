/**
 * The classifier interface over onnxruntime-node: logits from the plain model, loss values and
 * input gradients from the loss graphs of packages/onnx-grad (one per loss, static batch size).
 * Batches are split into chunks of at most `batchSize`; a chunk is padded (by repeating its first
 * sample) up to the next power of two, so only log2(batchSize) + 1 gradient graphs are ever built
 * while attacks shrink their active sets. Logits come from a plain session of the model with
 * graphOptimizationLevel 'all' (as the evaluator runs models; about 2x faster than 'extended' here).
 */
import { createGradientSession, type GradientSession } from '@alignscope/onnx-grad';
import * as ort from 'onnxruntime-node';
import type { Classifier, LossGradResult, LossName } from './types.ts';

export type OnnxClassifierOptions = {
  /** Input shape of one sample, e.g. [3, 32, 32]. */
  inputShape: readonly number[];
  numClasses: number;
  /** Largest batch given to onnxruntime at once (default 32). */
  batchSize?: number;
  intraOpNumThreads?: number;
  /** onnxruntime execution provider of the forward and all gradient sessions (default 'cpu'). */
  executionProvider?: 'cpu' | 'cuda' | 'webgpu';
};

/** Time spent inside onnxruntime calls (milliseconds) and number of calls, for benchmarks. */
export type OnnxTimings = {
  forwardMs: number;
  gradientMs: number;
  forwardCalls: number;
  gradientCalls: number;
};

export class OnnxClassifier implements Classifier {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly batchSize: number;
  readonly timings: OnnxTimings = { forwardMs: 0, gradientMs: 0, forwardCalls: 0, gradientCalls: 0 };
  private readonly sessions = new Map<LossName, Promise<GradientSession>>();
  private readonly d: number;

  private constructor(
    private readonly model: Uint8Array,
    private readonly plain: ort.InferenceSession,
    ce: GradientSession,
    opts: OnnxClassifierOptions,
  ) {
    this.inputShape = [...opts.inputShape];
    this.numClasses = opts.numClasses;
    this.batchSize = opts.batchSize ?? 32;
    this.d = opts.inputShape.reduce((a, b) => a * b, 1);
    this.sessions.set('ce', Promise.resolve(ce));
    this.threads = opts.intraOpNumThreads;
    this.executionProvider = opts.executionProvider ?? 'cpu';
  }

  private readonly threads: number | undefined;
  /** The execution provider every session of this classifier runs on. */
  readonly executionProvider: 'cpu' | 'cuda' | 'webgpu';

  /** Opens a model (ONNX bytes); checks that one sample gives [1, numClasses] logits. */
  static async open(model: Uint8Array, opts: OnnxClassifierOptions): Promise<OnnxClassifier> {
    const threads = opts.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: opts.intraOpNumThreads };
    const ep = opts.executionProvider ?? 'cpu';
    const ce = await createGradientSession(model, { loss: 'ce', executionProvider: ep, ...threads });
    const plain = await ort.InferenceSession.create(model, {
      graphOptimizationLevel: 'all',
      executionProviders: [ep],
      ...threads,
    });
    const clf = new OnnxClassifier(model, plain, ce, opts);
    try {
      await clf.logits(new Float32Array(clf.d).fill(0.5), 1);
    } catch (e) {
      await clf.release();
      throw e;
    }
    return clf;
  }

  /**
   * The gradient session of a loss. AutoAttack's stages use one loss each, in sequence, so the
   * sessions (and their per-batch-size graphs) of the other losses are released first: memory holds
   * one loss's graphs at a time.
   */
  private async session(loss: LossName): Promise<GradientSession> {
    for (const [other, p] of [...this.sessions]) {
      if (other === loss) continue;
      this.sessions.delete(other);
      await (await p.catch(() => undefined))?.release();
    }
    let s = this.sessions.get(loss);
    if (!s) {
      s = createGradientSession(this.model, {
        loss,
        executionProvider: this.executionProvider,
        ...(this.threads === undefined ? {} : { intraOpNumThreads: this.threads }),
      });
      this.sessions.set(loss, s);
    }
    return s;
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    const k = this.numClasses;
    const out = new Float32Array(n * k);
    for (let start = 0; start < n; start += this.batchSize) {
      const m = Math.min(this.batchSize, n - start);
      const t0 = performance.now();
      const input = new ort.Tensor('float32', x.subarray(start * this.d, (start + m) * this.d), [
        m,
        ...this.inputShape,
      ]);
      const res = await this.plain.run({ [this.plain.inputNames[0] as string]: input });
      const t = res[this.plain.outputNames[0] as string];
      if (!t) throw new Error('model returned no output');
      this.timings.forwardMs += performance.now() - t0;
      this.timings.forwardCalls++;
      if (t.dims.length !== 2 || t.dims[0] !== m || t.dims[1] !== k) {
        throw new Error(
          `model output has shape [${t.dims.join(', ')}] for ${m} inputs; expected [${m}, ${k}] logits [N, classes]`,
        );
      }
      out.set(t.data as Float32Array, start * k);
    }
    return out;
  }

  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
  ): Promise<LossGradResult> {
    const { d, numClasses: k } = this;
    const session = await this.session(loss);
    const logits = new Float32Array(n * k);
    const lossOut = new Float32Array(n);
    const grad = new Float32Array(n * d);
    for (let start = 0; start < n; start += this.batchSize) {
      const m = Math.min(this.batchSize, n - start);
      const size = paddedSize(m, this.batchSize);
      const xb = new Float32Array(size * d);
      xb.set(x.subarray(start * d, (start + m) * d));
      const yb = new Int32Array(size);
      yb.set(y.subarray(start, start + m));
      const tb = yTarget ? new Int32Array(size) : undefined;
      if (tb && yTarget) tb.set(yTarget.subarray(start, start + m));
      for (let p = m; p < size; p++) {
        xb.copyWithin(p * d, 0, d);
        yb[p] = yb[0] as number;
        if (tb) tb[p] = tb[0] as number;
      }
      const t0 = performance.now();
      const r = await session.run(xb, [size, ...this.inputShape], yb, tb);
      this.timings.gradientMs += performance.now() - t0;
      this.timings.gradientCalls++;
      logits.set(r.logits.subarray(0, m * k), start * k);
      lossOut.set(r.loss.subarray(0, m), start);
      grad.set(r.grad.subarray(0, m * d), start * d);
    }
    return { logits, loss: lossOut, grad };
  }

  async release(): Promise<void> {
    const all = await Promise.all([...this.sessions.values()].map((s) => s.catch(() => undefined)));
    this.sessions.clear();
    for (const s of all) await s?.release();
    await this.plain.release();
  }
}

/** The next power of two >= m, capped at max. */
export function paddedSize(m: number, max: number): number {
  let p = 1;
  while (p < m) p *= 2;
  return Math.min(p, max);
}
