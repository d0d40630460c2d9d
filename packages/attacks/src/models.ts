/**
 * Pure-TypeScript classifiers with exact input gradients, for tests where the answer is known
 * (linear models: closed-form minimal perturbations) and for checking the attacks without ONNX.
 */
import { lossAndLogitGrad } from './losses.ts';
import type { Classifier, LossGradResult, LossName } from './types.ts';

/** z = W x + b with W [K, D] (row-major) and b [K]. */
export class LinearClassifier implements Classifier {
  readonly numClasses: number;
  readonly inputShape: readonly number[];
  /** Calls to logits / lossGrad, counted per sample. */
  forwardCount = 0;
  gradientCount = 0;

  constructor(
    readonly weights: Float64Array,
    readonly bias: Float64Array,
    inputShape?: readonly number[],
  ) {
    this.numClasses = bias.length;
    const d = weights.length / bias.length;
    if (!Number.isInteger(d)) throw new Error('weights length must be a multiple of the number of classes');
    this.inputShape = inputShape ?? [d];
  }

  get inputSize(): number {
    return this.weights.length / this.numClasses;
  }

  private forward(x: Float32Array, n: number): Float32Array {
    const k = this.numClasses;
    const d = this.inputSize;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = this.bias[c] as number;
        const wo = c * d;
        const xo = i * d;
        for (let j = 0; j < d; j++) s += (this.weights[wo + j] as number) * (x[xo + j] as number);
        out[i * k + c] = s;
      }
    }
    return out;
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    this.forwardCount += n;
    return this.forward(x, n);
  }

  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
  ): Promise<LossGradResult> {
    this.gradientCount += n;
    const k = this.numClasses;
    const d = this.inputSize;
    const logits = this.forward(x, n);
    const lossOut = new Float32Array(n);
    const grad = new Float32Array(n * d);
    const dz = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      lossOut[i] = lossAndLogitGrad(loss, logits, i * k, k, y[i] as number, yTarget?.[i], dz);
      for (let c = 0; c < k; c++) {
        const g = dz[c] as number;
        if (g === 0) continue;
        const wo = c * d;
        for (let j = 0; j < d; j++)
          grad[i * d + j] = (grad[i * d + j] as number) + g * (this.weights[wo + j] as number);
      }
    }
    return { logits, loss: lossOut, grad };
  }
}

/** One hidden ReLU layer: z = W2 relu(W1 x + b1) + b2. */
export class MlpClassifier implements Classifier {
  readonly numClasses: number;
  readonly inputShape: readonly number[];
  private readonly hidden: number;
  private readonly d: number;

  constructor(
    readonly w1: Float64Array,
    readonly b1: Float64Array,
    readonly w2: Float64Array,
    readonly b2: Float64Array,
    inputShape?: readonly number[],
  ) {
    this.hidden = b1.length;
    this.numClasses = b2.length;
    this.d = w1.length / this.hidden;
    if (w2.length !== this.hidden * this.numClasses) throw new Error('w2 must be [K, H]');
    this.inputShape = inputShape ?? [this.d];
  }

  private forward(x: Float32Array, n: number): { logits: Float32Array; h: Float64Array } {
    const { hidden: hd, d, numClasses: k } = this;
    const h = new Float64Array(n * hd);
    const logits = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let u = 0; u < hd; u++) {
        let s = this.b1[u] as number;
        for (let j = 0; j < d; j++) s += (this.w1[u * d + j] as number) * (x[i * d + j] as number);
        h[i * hd + u] = Math.max(s, 0);
      }
      for (let c = 0; c < k; c++) {
        let s = this.b2[c] as number;
        for (let u = 0; u < hd; u++) s += (this.w2[c * hd + u] as number) * (h[i * hd + u] as number);
        logits[i * k + c] = s;
      }
    }
    return { logits, h };
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    return this.forward(x, n).logits;
  }

  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
  ): Promise<LossGradResult> {
    const { hidden: hd, d, numClasses: k } = this;
    const { logits, h } = this.forward(x, n);
    const lossOut = new Float32Array(n);
    const grad = new Float32Array(n * d);
    const dz = new Float64Array(k);
    const dh = new Float64Array(hd);
    for (let i = 0; i < n; i++) {
      lossOut[i] = lossAndLogitGrad(loss, logits, i * k, k, y[i] as number, yTarget?.[i], dz);
      dh.fill(0);
      for (let c = 0; c < k; c++) {
        const g = dz[c] as number;
        if (g === 0) continue;
        for (let u = 0; u < hd; u++) dh[u] = (dh[u] as number) + g * (this.w2[c * hd + u] as number);
      }
      for (let u = 0; u < hd; u++) {
        if ((h[i * hd + u] as number) <= 0) continue;
        const g = dh[u] as number;
        for (let j = 0; j < d; j++)
          grad[i * d + j] = (grad[i * d + j] as number) + g * (this.w1[u * d + j] as number);
      }
    }
    return { logits, loss: lossOut, grad };
  }
}

/** Wraps a classifier so that it returns softmax probabilities (to exercise the reference's output check). */
export function softmaxOutputs(inner: Classifier): Classifier {
  const k = inner.numClasses;
  const soft = (z: Float32Array) => {
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length / k; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, z[i * k + j] as number);
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp((z[i * k + j] as number) - m);
      for (let j = 0; j < k; j++) out[i * k + j] = Math.exp((z[i * k + j] as number) - m) / s;
    }
    return out;
  };
  return {
    inputShape: inner.inputShape,
    numClasses: k,
    logits: async (x, n) => soft(await inner.logits(x, n)),
    lossGrad: (x, n, loss, y, t) => inner.lossGrad(x, n, loss, y, t),
  };
}
