import type { LossKind } from './loss.ts';

export type GradientSessionOptions = {
  loss: LossKind;
  executionProvider?: 'cpu';
  intraOpNumThreads?: number;
};

export type GradientResult = { logits: Float32Array; loss: Float32Array; grad: Float32Array };
export type ForwardResult = { logits: Float32Array; shape: number[] };

/**
 * Runs a model and its loss gradient with onnxruntime-node (graphOptimizationLevel 'extended').
 * Gradient graphs are specialised per batch size and built on first use of each size.
 */
export class GradientSession {
  private constructor() {}

  static async create(_model: Uint8Array, _opts: GradientSessionOptions): Promise<GradientSession> {
    throw new Error('not implemented');
  }

  /** Logits, per-sample loss and d(sum of losses)/dx for a batch x of the given NCHW shape. */
  async run(
    _x: Float32Array,
    _shape: number[],
    _y: Int32Array | BigInt64Array,
    _yTarget?: Int32Array | BigInt64Array,
  ): Promise<GradientResult> {
    throw new Error('not implemented');
  }

  /** Logits only (the plain model). */
  async forward(_x: Float32Array, _shape: number[]): Promise<ForwardResult> {
    throw new Error('not implemented');
  }

  async release(): Promise<void> {}
}

export function createGradientSession(
  model: Uint8Array,
  opts: GradientSessionOptions,
): Promise<GradientSession> {
  return GradientSession.create(model, opts);
}
