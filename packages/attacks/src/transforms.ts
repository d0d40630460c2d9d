/**
 * Input transforms between the attack domain ([0,1] pixels, where eps is measured) and what a model
 * takes: per-channel x' = scale_c * x + shift_c (e.g. 0..255 inputs: scale 255; mean/std applied
 * outside the model: scale 1/std, shift -mean/std). Gradients follow the chain rule.
 */
import type { Classifier, LossGradResult, LossName } from './types.ts';

export function affineInput(
  inner: Classifier,
  scale: readonly number[],
  shift: readonly number[],
): Classifier {
  const shape = inner.inputShape;
  const c = shape[0] as number;
  if (shape.length !== 3 || scale.length !== c || shift.length !== c) {
    throw new Error(`affineInput needs [C, H, W] inputs and ${c} scales and shifts`);
  }
  const hw = (shape[1] as number) * (shape[2] as number);
  const d = c * hw;
  const map = (x: Float32Array, n: number) => {
    const out = new Float32Array(n * d);
    for (let s = 0; s < n; s++) {
      for (let ch = 0; ch < c; ch++) {
        const a = scale[ch] as number;
        const b = shift[ch] as number;
        const o = s * d + ch * hw;
        for (let i = 0; i < hw; i++) out[o + i] = a * (x[o + i] as number) + b;
      }
    }
    return out;
  };
  return {
    inputShape: shape,
    numClasses: inner.numClasses,
    logits: (x, n) => inner.logits(map(x, n), n),
    async lossGrad(
      x: Float32Array,
      n: number,
      loss: LossName,
      y: Int32Array,
      t?: Int32Array,
    ): Promise<LossGradResult> {
      const r = await inner.lossGrad(map(x, n), n, loss, y, t);
      const grad = new Float32Array(r.grad.length);
      for (let s = 0; s < n; s++) {
        for (let ch = 0; ch < c; ch++) {
          const a = scale[ch] as number;
          const o = s * d + ch * hw;
          for (let i = 0; i < hw; i++) grad[o + i] = a * (r.grad[o + i] as number);
        }
      }
      return { logits: r.logits, loss: r.loss, grad };
    },
  };
}
